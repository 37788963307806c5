/// 0011: the registry's month-end census (人口台账月报), the output of a batch run: persons by
/// village, sex, registration type, age band and disability, and households, as of the period's
/// last day. One row per run and village; a run's rows are never changed.
public struct CreateRegistryCensus: Migration {
    public init() {}
    public let version = 11
    public let name = "create registry census"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE registry_census (
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                region_code TEXT NOT NULL REFERENCES regions (code),
                persons BIGINT NOT NULL,
                male BIGINT NOT NULL,
                female BIGINT NOT NULL,
                agricultural BIGINT NOT NULL,
                non_agricultural BIGINT NOT NULL,
                children BIGINT NOT NULL,
                working_age BIGINT NOT NULL,
                elderly BIGINT NOT NULL,
                disabled BIGINT NOT NULL,
                households BIGINT NOT NULL,
                PRIMARY KEY (run_id, region_code)
            )
            """
        ] + dialect.appendOnlyTriggers(table: "registry_census")
    }
}
