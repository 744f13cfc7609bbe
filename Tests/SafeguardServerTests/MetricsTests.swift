import Foundation
import SafeguardCore
import Testing
import Vapor

/// `GET /metrics`: requests, latencies, decisions by disposition and gate refusals, in the
/// Prometheus text format, counting exactly what the service did.
@Suite struct MetricsTests {
    /// One sample of the exposition: a metric name, its labels and its value.
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static func samples(_ exposition: String) -> [Sample] {
        exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    @Test func countsRequestsDecisionsAndGateRefusals() async throws {
        try await TestService.with { service in
            #expect(try await service.send(.POST, "/api/v1/decisions", json: #"{"asOf": "2025-06-01", "action": "arrest"}"#).status == .ok)
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            for _ in 0..<2 {
                #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .conflict)
            }
            #expect(try await service.send(.GET, "/no/such/page/A123456789").status == .notFound)

            // Only an admin's scraper reads them: not a stranger, not the custody feed.
            #expect(try await service.send(.GET, "/metrics").status == .unauthorized)
            #expect(try await service.send(.GET, "/metrics", as: "integration@NYC").status == .forbidden)
            let reply = try await service.send(.GET, "/metrics", as: "admin@NYC")
            #expect(reply.status == .ok)
            #expect(reply.headers.first(name: .contentType) == "text/plain; version=0.0.4; charset=utf-8")
            let samples = Self.samples(reply.text)
            func value(_ name: String, _ labels: [String: String]) -> Double? {
                samples.first { $0.name == name && $0.labels == labels }?.value
            }
            // Stored decisions (opening and the verification each decide) plus the one answered without storing.
            let decided = samples.filter { $0.name == "safeguard_decisions_total" }.map(\.value).reduce(0, +)
            #expect(decided == Double(try await service.count("decisions") + 1))
            #expect(value("safeguard_decisions_total", ["disposition": "proceed"]) == 1)
            #expect(value("safeguard_gate_refusals_total", ["disposition": "refrain"]) == 2)
            #expect(value("safeguard_gate_refusals_total", ["disposition": "proceed-after-steps"]) == 0)
            let gateRoute = "/api/v1/encounters/:encounterID/enforcement-action"
            #expect(value("safeguard_http_requests_total", ["method": "POST", "route": gateRoute, "status": "409"]) == 2)
            #expect(value("safeguard_http_requests_total", ["method": "POST", "route": "/api/v1/people", "status": "201"]) == 1)
            #expect(value("safeguard_http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]) == 1)
            #expect(value("safeguard_http_request_duration_seconds_count", ["method": "POST", "route": gateRoute]) == 2)
            let buckets = samples.filter { $0.name == "safeguard_http_request_duration_seconds_bucket" && $0.labels["route"] == gateRoute }
            #expect(buckets.contains { $0.labels["le"] == "+Inf" && $0.value == 2 })
            // Labels carry route patterns only: no identifier and no path text a client sent.
            #expect(!reply.text.contains(encounter) && !reply.text.contains(person) && !reply.text.contains("A123456789"))
        }
    }

    @Test func eachServiceCountsOnlyItsOwnWork() async throws {
        try await TestService.with { service in
            let samples = Self.samples(try await service.send(.GET, "/metrics", as: "admin@NYC").text)
            #expect(samples.filter { $0.name == "safeguard_decisions_total" }.allSatisfy { $0.value == 0 })
            #expect(samples.filter { $0.name == "safeguard_http_requests_total" }.isEmpty)
        }
    }
}
