import Foundation
import PolicyEngine

/// Reads one case from a file or, for `-`, from standard input.
enum CaseFile {
    static func read(_ path: String) throws -> CaseFacts {
        let bytes: Data
        if path == "-" {
            bytes = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BadInput("\(path): cannot read the file")
            }
            bytes = data
        }
        do {
            return try CaseDecoder.decode(json: [UInt8](bytes))
        } catch {
            // Paths inside the case, one per line; a syntax error names the file.
            throw BadInput(error.errors.map { $0.path.isEmpty ? "\(path == "-" ? "<stdin>" : path): \($0.message)" : $0.description })
        }
    }
}
