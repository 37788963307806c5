import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let policy = Route("/policy")
    static let policyNew = Route("/policy/new")
    static let policyPending = Route("/policy/pending")
    static let policyDecision = Route("/policy/{id}/decision")
    static let policyKey = Route("/policy/keys/{key}")
    static let calculate = Route("/calculate")
    static let calculateRule = Route("/calculate/{rule}")
}

extension Route.API {
    static let parameters = Route.api("/parameters")
    static let parameterDecision = Route.api("/parameters/{id}/decision")
    static let rules = Route.api("/rules")
    static let calculate = Route.api("/calculate/{rule}")
}

extension Program {
    /// The policy book (dated parameters with their legal basis, maker–checker proposals) and every
    /// rule of RULES.md with its explanation. The rules are listed here until the programs that pay
    /// their amounts (insurance, benefits, assistance) register them as their own.
    static let policy = Program(
        id: "policy",
        migrations: [CreateParameters(), ParameterSafeguards()],
        rules: RuleCatalog.entries,
        templates: ["calculate", "calculate-rule", "policy", "policy-history", "policy-pending"],
        navigation: [
            NavigationItem(.policy, label: "nav.policy", hint: "home.hint.policy", order: 600, visible: NavigationItem.allowed(.parameterRead)),
            NavigationItem(.calculate, label: "nav.calculate", hint: "home.hint.calculate", order: 610, visible: NavigationItem.allowed(.calculate)),
        ],
        api: { group, services in
            let policyAPI = PolicyAPI(services: services)
            group.get(.API.parameters, use: policyAPI.list)
            group.post(.API.parameters, use: policyAPI.propose)
            group.post(.API.parameterDecision, use: policyAPI.decide)
            group.get(.API.rules, use: policyAPI.rules)
            group.post(.API.calculate, use: policyAPI.calculate)
        },
        pages: { group, services in
            let policyPages = PolicyPages(services: services)
            group.get(.policy, use: policyPages.index)
            group.get(.policyNew, use: policyPages.new)
            group.post(.policy, use: policyPages.propose)
            group.get(.policyPending, use: policyPages.pending)
            group.post(.policyDecision, use: policyPages.decide)
            group.get(.policyKey, use: policyPages.history)

            let calculatePages = CalculatePages(services: services)
            group.get(.calculate, use: calculatePages.index)
            group.get(.calculateRule, use: calculatePages.rule)
            group.post(.calculateRule, use: calculatePages.evaluate)
        })
}
