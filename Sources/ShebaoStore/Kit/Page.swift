/// One page of a list, with the total for the pager.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }

    /// The most rows one page may ask for.
    public static var maximumPerPage: Int { 200 }

    public static func empty(page: Int, perPage: Int) -> Page { Page(items: [], total: 0, page: page, perPage: perPage) }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }

    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), total: total, page: page, perPage: perPage)
    }
}

/// Which page of a list, clamped to sensible bounds once for every store.
public struct Paging: Sendable, Hashable {
    public var page: Int
    public var perPage: Int

    public init(page: Int = 1, perPage: Int = 50) {
        self.page = max(1, min(page, 1_000_000))
        self.perPage = min(max(1, perPage), Page<Int>.maximumPerPage)
    }

    public var offset: Int { (page - 1) * perPage }
}
