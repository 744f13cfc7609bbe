import Foundation
import Testing
import Vapor

/// The main pages, pinned as HTML: a change to a page shows up as a change to its snapshot, to be
/// read and kept on purpose (`SAFEGUARD_RECORD_SNAPSHOTS=1` writes them anew). Ids and tokens are
/// replaced by placeholders.
@Suite struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func normalized(_ html: String) -> String {
        html.replacing(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/, with: "<id>")
            .replacing(/name="csrf" value="[^"]+"/, with: #"name="csrf" value="<csrf>""#)
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
        }
    }
}
