import Foundation
import Logging
import SafeguardRuntime
import SafeguardServer
import Synchronization

/// Every log line of the test process, written by Safeguard's own handler at trace level (the
/// most a deployment could ever log). Kept in memory for `LogConfidentialityTests`, and appended
/// to the file `SAFEGUARD_TEST_LOG` names so that `scripts/test` can search the whole suite's lines.
final class LogCapture: Sendable {
    static let shared: LogCapture = {
        let capture = LogCapture(path: ProcessInfo.processInfo.environment["SAFEGUARD_TEST_LOG"])
        LoggingSystem.bootstrap { label in SafeguardLogHandler(label: label, level: .trace, sink: capture.append) }
        return capture
    }()

    private struct State {
        var lines: [String] = []
        var file: FileHandle?
    }
    private let state: Mutex<State>

    private init(path: String?) {
        var state = State()
        if let path {
            // A log that cannot be written would let `scripts/test` search nothing and pass.
            if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
                fatalError("SAFEGUARD_TEST_LOG: cannot create \(path)")
            }
            guard let file = FileHandle(forWritingAtPath: path), (try? file.seekToEnd()) != nil else {
                fatalError("SAFEGUARD_TEST_LOG: cannot append to \(path)")
            }
            state.file = file
        }
        self.state = Mutex(state)
    }

    func append(_ line: String) {
        state.withLock { state in
            state.lines.append(line)
            state.file?.write(Data((line + "\n").utf8))
        }
    }

    var lines: [String] { state.withLock { $0.lines } }
}
