/// Every program of the system. Adding a program is one folder per module and one line here:
/// the router, the navigation and home page, the person view's panels, the migrations, the rule
/// catalogue, the case types and the batch kinds are all built from this list.
public enum Programs {
    public static let all: [Program] = [
        .home,
        .access,
        .registry,
        .policy,
        .workflow,
        .batches,
        .ledger,
        .insurance,
        .benefits,
        .assistance,
    ]
}
