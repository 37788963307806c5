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
        api: { group, services in
            let runsAPI = RunsAPI(services: services)
            group.get(.API.runs, use: runsAPI.list)
            group.post(.API.runs, use: runsAPI.start)
            group.get(.API.run, use: runsAPI.show)
            group.post(.API.runResume, use: runsAPI.resume)
            group.post(.API.runDecision, use: runsAPI.decide)
            group.post(.API.runPost, use: runsAPI.post)
        },
        pages: { group, services in
            let runPages = RunPages(services: services)
            group.get(.runs, use: runPages.list)
            group.post(.runs, use: runPages.start)
            group.get(.run, use: runPages.show)
            group.post(.runResume, use: runPages.resume)
            group.post(.runDecision, use: runPages.decide)
            group.post(.runPost, use: runPages.post)
        })
}
