import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let runs = Route("/runs")
    static let run = Route("/runs/{id}")
    static let runResume = Route("/runs/{id}/resume")
    static let runDecision = Route("/runs/{id}/decision")
    static let runPost = Route("/runs/{id}/post")
}

extension Route.API {
    static let runs = Route.api("/runs")
    static let run = Route.api("/runs/{id}")
    static let runResume = Route.api("/runs/{id}/resume")
    static let runDecision = Route.api("/runs/{id}/decision")
    static let runPost = Route.api("/runs/{id}/post")
}

extension Program {
    /// Batch runs of every program: one live run per kind, period and scope, computed chunk by
    /// chunk, approved by a second person, posted (DESIGN.md §5). The kinds are the programs'.
    static let batches = Program(
        id: "batches",
        migrations: [CreateBatchRuns()],
        templates: ["runs", "run"],
        navigation: [
            NavigationItem(.runs, label: "nav.runs", hint: "home.hint.runs", order: 400, visible: NavigationItem.allowed(.batchRead)),
        ],
        api: { group, services in RunsAPI(services: services).addRoutes(to: group) },
        pages: { group, services in RunPages(services: services).addRoutes(to: group) })
}
