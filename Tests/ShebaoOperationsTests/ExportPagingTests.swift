import Testing
@testable import ShebaoOperations

/// The export loop reads one page ahead of the one being written and stops after the last.
@Suite("Export paging")
struct ExportPagingTests {
    actor Reads {
        var cursors: [Int?] = []
        func record(_ cursor: Int?) { cursors.append(cursor) }
    }

    @Test func everyPageIsReadOnceAndWrittenInOrder() async throws {
        let reads = Reads()
        var written: [[Int]] = []
        try await readAhead { (after: Int?) in
            await reads.record(after)
            let start = (after ?? 0) + 1
            let page = Array(start..<min(start + 3, 11))
            return (page, page.last.flatMap { $0 < 10 ? $0 : nil })
        } each: { page in
            written.append(page)
        }
        #expect(written == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]])
        #expect(await reads.cursors == [nil, 3, 6, 9])
    }

    @Test func aFailingWriterStopsTheReads() async throws {
        struct Gone: Error {}
        let reads = Reads()
        await #expect(throws: Gone.self) {
            try await readAhead { (after: Int?) in
                await reads.record(after)
                return ([after ?? 0], (after ?? 0) + 1)
            } each: { _ in throw Gone() }
        }
        #expect(await reads.cursors.count <= 2)
    }
}
