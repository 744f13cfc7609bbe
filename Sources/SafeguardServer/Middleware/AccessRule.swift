import SafeguardCore
import Vapor

/// Who may call a route and which office's records it reaches. Every route declares one where it
/// is registered (`RoutesBuilder.access`); `AccessGate` refuses the roles it leaves out,
/// `AccessControl` refuses a route registered without one, and the access sweep tests call every
/// route as every role from two offices against what it declares.
struct AccessRule: Sendable {
    /// Which records a route reaches.
    enum Reach: Sendable {
        /// No record of any office: figures, policies, the caller's own session.
        case noRecord
        /// Records of the caller's office only, unless the caller's role spans offices
        /// (`Role.spansOffices`); another office's record is not found (a person: unless the
        /// caller's office has an encounter on them, `PersonReach`).
        case ownOffice
        /// Records of every office, for every role let in: the custody feed and the voice
        /// gateway, which serve every office.
        case everyOffice
    }

    /// The roles let in, or nil for anyone, signed in or not.
    let roles: Set<Role>?
    /// What the routes hold, for a refusal ("a analyst may not use case records").
    let what: String
    let reach: Reach

    /// Open to anyone: health, metrics, the contract's decisions, the stylesheet, signing in.
    static let anyone = AccessRule(roles: nil, what: "", reach: .noRecord)

    static func roles(_ roles: Set<Role>, _ what: String, reach: Reach) -> AccessRule {
        AccessRule(roles: roles, what: what, reach: reach)
    }

    /// Every signed-in user, whatever the role.
    static func signedIn(_ what: String, reach: Reach) -> AccessRule {
        AccessRule(roles: Set(Role.allCases), what: what, reach: reach)
    }

    /// Whether the rule keeps an actor of this role to records of their own office.
    func bindsToOffice(_ role: Role) -> Bool {
        reach == .ownOffice && !role.spansOffices
    }

    static let userInfoKey = "safeguard.access"
}

extension Route {
    /// The access rule the route was registered under, if any.
    var accessRule: AccessRule? { userInfo[AccessRule.userInfoKey] as? AccessRule }
}

extension RoutesBuilder {
    /// Routes registered through the returned builder carry `rule`, and are gated by it.
    func access(_ rule: AccessRule) -> any RoutesBuilder {
        DeclaredAccess(root: rule.roles == nil ? self : grouped(AccessGate(rule: rule)), rule: rule)
    }
}

/// Stamps each route registered through it with its access rule.
private struct DeclaredAccess: RoutesBuilder {
    let root: any RoutesBuilder
    let rule: AccessRule

    /// The innermost declaration is the route's: declare once, on the group that holds the route.
    func add(_ route: Route) {
        if route.accessRule == nil { route.userInfo[AccessRule.userInfoKey] = rule }
        root.add(route)
    }
}
