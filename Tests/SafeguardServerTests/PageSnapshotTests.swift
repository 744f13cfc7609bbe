import Foundation
import Testing
import Vapor

/// The main pages, pinned as HTML: a change to a page shows up as a change to its snapshot, to be
/// read and kept on purpose (`SAFEGUARD_RECORD_SNAPSHOTS=1` writes them anew). Ids, tokens, times
/// and the rule set's digest are replaced by placeholders.
@Suite struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func normalized(_ html: String) -> String {
        html.replacing(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/, with: "<id>")
            .replacing(/name="csrf" value="[^"]+"/, with: #"name="csrf" value="<csrf>""#)
            .replacing(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?Z?)?/, with: "<time>")
            .replacing(/Rule set [0-9a-f]{64}/, with: "Rule set <digest>")
            // Tests number the people they create in the order they run.
            .replacing(/\bA\d{9}\b/, with: "<a-number>")
    }

    static func expectSnapshot(_ name: String, _ html: String) throws {
        let file = folder.appendingPathComponent(name + ".html")
        let text = normalized(html)
        if ProcessInfo.processInfo.environment["SAFEGUARD_RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let pinned = try String(contentsOf: file, encoding: .utf8)
        #expect(text == pinned, "\(name).html differs from its snapshot; if the change is meant, record it again")
    }

    @Test func theMainPagesMatchTheirSnapshots() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            var browser = PageBrowser(service: service)
            try Self.expectSnapshot("login", try await browser.get("/login").text)
            _ = try await browser.signIn("supervisor-nyc", purpose: "law-enforcement")
            try Self.expectSnapshot("home-supervisor", try await browser.get("/").text)
            try Self.expectSnapshot("encounter-supervisor", try await browser.get("/encounters/\(encounter)").text)
            var auditor = PageBrowser(service: service)
            _ = try await auditor.signIn("auditor-nyc")
            try Self.expectSnapshot("encounter-withheld", try await auditor.get("/encounters/\(encounter)").text)
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            try Self.expectSnapshot("audit", try await auditor.get("/audit?object=encounter%2F").text)
        }
    }

    @Test func theOfficersFormsThePoliciesAndTheDashboardMatchTheirSnapshots() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            // The approval case's month (one) is too small to chart, and so, beside it, is June's five.
            for _ in 0..<5 { _ = try await service.openEncounter(try await service.createPerson(), asOf: "2024-06-03") }
            for _ in 0..<6 { _ = try await service.openEncounter(try await service.createPerson(), asOf: "2024-07-03") }
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            try Self.expectSnapshot("encounter-new", try await officer.get("/encounters/new?asOf=2026-01-05").text)
            try Self.expectSnapshot("what-if", try await officer.get("/encounters/\(encounter)/what-if?asOf=2025-03-01").text)
            try Self.expectSnapshot("policies", try await officer.get("/policies").text)
            try Self.expectSnapshot("policies-compare", try await officer.get("/policies/compare").text)
            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            try Self.expectSnapshot("dashboard", try await analyst.get("/dashboard").text)
        }
    }
}
