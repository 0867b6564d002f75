public import SDP
public import WebRTC

extension Array where Element == HostCandidate {
    /// SDP lines for host candidates with RFC 8445 §5.1.2.1 priorities, earlier ones preferred.
    public var sdpCandidates: [SDPCandidate] {
        enumerated().map { index, candidate in
            let localPreference = UInt32(65_535 - index)
            let priority: UInt32 = (126 << 24) | (localPreference << 8) | (256 - 1)
            var extensions: [SDPCandidateExtension] = []
            // RFC 6544 §4.5: TCP candidates say which side opens the connection.
            if candidate.transport == .tcpPassive { extensions.append(SDPCandidateExtension(name: "tcptype", value: "passive")) }
            extensions.append(SDPCandidateExtension(name: "generation", value: "0"))
            return SDPCandidate(foundation: "\(index + 1)", componentID: 1,
                                transport: candidate.transport == .udp ? "udp" : "tcp", priority: priority,
                                address: candidate.address, port: UInt16(truncatingIfNeeded: candidate.port),
                                type: .host, extensions: extensions)
        }
    }
}
