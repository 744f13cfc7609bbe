import Foundation
import Testing

/// The public examples of `../shared/contract/examples/`: each case with the fields its decision must have.
public enum ContractExamples {
    public struct Example {
        public var name: String
        public var caseBytes: [UInt8]
        public var expected: [String: Any]
        public var casePath: String
    }

    public static func all() throws -> [Example] {
        let folder = try Fixtures.sharedFile("contract/examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".case.json") }.map { String($0.dropLast(".case.json".count)) }.sorted()
        try #require(!names.isEmpty, "no examples in \(folder.path)")
        return try names.map { name in
            let casePath = folder.appendingPathComponent("\(name).case.json").path
            let expectData = try Data(contentsOf: folder.appendingPathComponent("\(name).expect.json"))
            let expected = try #require(try JSONSerialization.jsonObject(with: expectData) as? [String: Any])
            return Example(name: name, caseBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: casePath))), expected: expected, casePath: casePath)
        }
    }

    /// Compares the fields an expect file lists; lists compare as sets.
    public static func mismatches(_ decision: [String: Any], _ expected: [String: Any]) -> [String] {
        func canonical(_ value: Any) -> String {
            let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            return String(decoding: data, as: UTF8.self)
        }
        var problems: [String] = []
        for (key, want) in expected {
            guard let got = decision[key] else {
                problems.append("\(key) is missing")
                continue
            }
            if let wantList = want as? [Any], let gotList = got as? [Any] {
                if Set(wantList.map(canonical)) != Set(gotList.map(canonical)) || wantList.count != gotList.count {
                    problems.append("\(key): got \(canonical(got)), want \(canonical(want))")
                }
            } else if canonical(got) != canonical(want) {
                problems.append("\(key): got \(canonical(got)), want \(canonical(want))")
            }
        }
        return problems
    }
}
