import Testing
@testable import SFU

@Suite struct EchoServiceTests {
    @Test func hostCandidatesPreferEarlierAddresses() {
        let candidates = EchoService.hostCandidates(addresses: ["127.0.0.1", "192.0.2.7"], port: 40000)
        #expect(candidates.map(\.address) == ["127.0.0.1", "192.0.2.7"])
        #expect(candidates.allSatisfy { $0.port == 40000 && $0.type == .host && $0.componentID == 1 })
        // RFC 8445 §5.1.2.1: type preference 126 for host, component 1.
        #expect(candidates[0].priority == 126 << 24 | 65_535 << 8 | 255)
        #expect(candidates[0].priority > candidates[1].priority)
    }
}
