import ICE

/// Shared fixtures for the agent tests: a server (lite) and a client (controlling) side
/// exchanging datagrams through plain buffers.
enum ICEAgentFixtures {
    static let server = ICECredentials(usernameFragment: "srvUfrag", password: "serverPasswordIs24Chars+")
    static let client = ICECredentials(usernameFragment: "cli1", password: "clientPassword/22chars")
    static let clientAddress = STUNTransportAddress(ipv4: 192, 0, 2, 1, port: 50_000)
    static let otherAddress = STUNTransportAddress(ipv4: 198, 51, 100, 7, port: 61_000)
    /// [2001:db8::1]:3478
    static let ipv6Address = STUNTransportAddress(
        family: .ipv6, high: 0x2001_0db8_0000_0000, low: 0x0000_0000_0000_0001, port: 3478)
}

/// Lets tests write `start.addingSeconds(2.5)` for 2.5 s later.
extension ContinuousClock.Instant {
    func addingSeconds(_ seconds: Double) -> ContinuousClock.Instant {
        advanced(by: .milliseconds(Int64(seconds * 1000)))
    }
}

/// One request from the controlling agent, answered by the lite agent.
struct ICECheckResult {
    var request: [UInt8]
    var liteOutcome: ICELiteOutcome
    /// The datagram the lite agent wrote, if it answered.
    var response: [UInt8]?
}

extension ICEControllingAgent {
    func makeRequest(nominate: Bool, now: ContinuousClock.Instant) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 512)
        let length = buffer.withUnsafeMutableBytes { makeBindingRequest(nominate: nominate, now: now, into: $0) }
        return Array(buffer[0..<length])
    }
}

extension ICELiteAgent {
    func handle(_ request: [UInt8], from source: STUNTransportAddress, now: ContinuousClock.Instant)
        -> (ICELiteOutcome, [UInt8]?)
    {
        var buffer = [UInt8](repeating: 0, count: 512)
        let outcome = request.withUnsafeBytes { message in
            buffer.withUnsafeMutableBytes { handleBindingRequest(message, from: source, now: now, response: $0) }
        }
        switch outcome {
        case .respond(let length, _), .respondWithError(let length):
            return (outcome, Array(buffer[0..<length]))
        case .drop:
            return (outcome, nil)
        }
    }
}

func exchangeCheck(
    _ client: ICEControllingAgent, against lite: ICELiteAgent, nominate: Bool,
    from source: STUNTransportAddress = ICEAgentFixtures.clientAddress, at now: ContinuousClock.Instant
) -> ICECheckResult {
    let request = client.makeRequest(nominate: nominate, now: now)
    let (outcome, response) = lite.handle(request, from: source, now: now)
    return ICECheckResult(request: request, liteOutcome: outcome, response: response)
}
