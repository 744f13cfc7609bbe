import Foundation
import PolicyEngine
import SafeguardCore

extension ReevaluateCommand {
    /// `reevaluate --dry-run --drafts DIR`: what the drafts would change, every open encounter
    /// decided with the policies in force and with the drafts added; stores nothing but the audit
    /// record of the asking. The list (`--out`) is written whole or not at all.
    func tryDrafts(_ drafts: URL, asOf: CalendarDate?) async throws {
        let withDrafts = try policyOptions.load(drafts: drafts)
        let listing = out.map { URL(fileURLWithPath: $0) }
        let partial = listing.map { $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).\(UUID().uuidString).partial") }
        var isFolder: ObjCBool = false
        if let listing, FileManager.default.fileExists(atPath: listing.path, isDirectory: &isFolder), isFolder.boolValue {
            throw BadInput("--out: \(listing.path) is a folder; name a file").exit()
        }
        // Encounter ids: readable by the one who asked for them only.
        if let partial, !FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600]) {
            throw BadInput("--out: \(partial.deletingLastPathComponent().path): cannot write a file there").exit()
        }
        let file = try partial.map { try FileHandle(forWritingTo: $0) }
        defer {
            try? file?.close()
            if let partial { try? FileManager.default.removeItem(at: partial) }
        }
        let (batchSize, username, listed) = (batchSize, user, file != nil)
        let started = Date()
        let lines = ChangeLines(file: file)
        let impact: DraftImpact = try await databaseOptions.withDatabases(policyOptions) { database, _, services in
            let actor = try await Self.actor(named: username, in: services, on: database)
            let changed: ((DraftImpact.Change) throws -> Void)? = listed ? { try lines.write($0) } : nil
            return try await Reevaluator(workflow: services.workflow, batchSize: batchSize)
                .impact(of: withDrafts, asOf: asOf ?? services.workflow.calendar.today, by: actor, on: database, changed: changed)
        }
        try lines.flush()
        if let listing, let partial {
            try file?.synchronize()
            // In place of any file of that name at once, never half-written.
            guard rename(partial.path, listing.path) == 0 else {
                throw BadInput("--out: \(listing.path): cannot be written (\(String(cString: strerror(errno))))").exit()
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("decided \(impact.total.encounters) open encounters as of \(impact.asOf) twice, with the policies in force and with the drafts in \(drafts.path) "
              + "(\(String(format: "%.1f", seconds)) s); \(impact.total.changed) outcomes would change; nothing stored")
        print(impact.diff.table)
        print("\noffice      encounters   would change")
        for (office, count) in impact.byOffice.sorted(by: { $0.key < $1.key }) {
            print(office.padding(toLength: 12, withPad: " ", startingAt: 0) + String(count.encounters).padding(toLength: 13, withPad: " ", startingAt: 0) + String(count.changed))
        }
        if let listing { print("\nthe \(impact.total.changed) encounters that would change: \(listing.path)") }
    }

    /// The changed encounters as JSON Lines (`DraftImpact.ChangeLines`), buffered into the file.
    final class ChangeLines: @unchecked Sendable {
        private let file: FileHandle?
        private var buffer = Data()
        private let lines = DraftImpact.ChangeLines()

        init(file: FileHandle?) {
            self.file = file
        }

        func write(_ change: DraftImpact.Change) throws {
            buffer.append(try lines.line(change))
            if buffer.count > 1 << 20 { try flush() }
        }

        func flush() throws {
            try file?.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
