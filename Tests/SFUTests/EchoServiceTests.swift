import Testing
import WebRTC
@testable import SFU

@Suite struct EchoServiceTests {
    @Test func candidatesArePrioritisedInOrderWithTCPMarkedPassive() {
        let candidates = [
            HostCandidate(address: "127.0.0.1", port: 40000, transport: .udp),
            HostCandidate(address: "::1", port: 40000, transport: .udp),
            HostCandidate(address: "127.0.0.1", port: 40001, transport: .tcpPassive),
        ].sdpCandidates
        #expect(candidates.map(\.address) == ["127.0.0.1", "::1", "127.0.0.1"])
        #expect(candidates.map(\.transport) == ["udp", "udp", "tcp"])
        #expect(candidates.allSatisfy { $0.type == .host && $0.componentID == 1 })
        // RFC 8445 §5.1.2.1: type preference 126 for host, component 1.
        #expect(candidates[0].priority == 126 << 24 | 65_535 << 8 | 255)
        #expect(candidates[0].priority > candidates[1].priority && candidates[1].priority > candidates[2].priority)
        #expect(candidates[2].tcpType == .passive)
        #expect(candidates[0].tcpType == nil)
    }
}
