import SafeguardCore

/// The links each role's pages offer, in the order of its work: what the role may do and nothing
/// it may not (the routes check again).
enum Navigation {
    struct Link: Encodable {
        var title: String
        var path: String
    }

    static func links(for role: Role) -> [Link] {
        var links: [Link] = []
        // A hotline specialist's home is the calls (their links below).
        if Entitlements.caseReadingRoles.contains(role), role != .hotlineSpecialist {
            links.append(Link(title: role == .oplaAttorney ? "Consultations" : "Encounters", path: "/"))
        }
        if Entitlements.caseReadingRoles.contains(role) { links.append(Link(title: "Find a person", path: "/people/find")) }
        if Entitlements.enforcementRoles.contains(role) { links.append(Link(title: "Open an encounter", path: "/encounters/new")) }
        if Entitlements.statisticsRoles.contains(role) { links.append(Link(title: "Dashboard", path: "/dashboard")) }
        if Entitlements.auditLogRoles.contains(role) { links.append(Link(title: "Audit log", path: "/audit")) }
        if role == .hotlineSpecialist {
            links += [Link(title: "Calls", path: "/hotline"), Link(title: "Registrations", path: "/hotline/registrations")]
        }
        if Entitlements.deliveryStatusRoles.contains(role) { links.append(Link(title: "Delivery status", path: "/hotline/status")) }
        links.append(Link(title: "Policies", path: "/policies"))
        return links
    }
}
