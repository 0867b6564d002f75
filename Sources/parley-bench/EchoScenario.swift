import DTLS
import ICE
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WebRTC

/// `echo`: every participant publishes audio and video to `POST /v1/echo` and receives it back,
/// so the server does a full receive → decrypt → encrypt → send per packet.
struct EchoScenario {
    let server: URL
    let participantCount: Int
    let duration: Duration
    let workerCount: Int
    let settings: BenchParticipant.Settings
    let serverUsage: ServerUsageSource

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let clock = BenchClock()
        let clients = try await ClientWorkers.start(count: workerCount)
        let context = try DTLSContext(certificate: .generateSelfSigned())
        var settings = self.settings
        settings.videoBitrates = [settings.videoBitrates.last ?? 1_500_000]

        // Join everyone: offer → answer over HTTP, then ICE/DTLS on a socket of its own.
        for index in 0..<participantCount {
            let (worker, box) = clients.worker(for: index)
            let participant = BenchParticipant(index: index, settings: settings, clock: clock)
            let credentials = ICECredentials.random()
            // One encoding: the echo service sends back what it gets, simulcast would not fit.
            let offer = BenchOffer(credentials: credentials, fingerprint: context.certificate.fingerprint,
                                   sessionID: UInt64(index + 1))
            let answer = try BenchAnswer(sdp: try await postOffer(offer.sdp))
            let handle = UncheckedParticipant(participant)
            try await worker.connectClient(to: answer, context: context, credentials: credentials) { transport in
                transport.delegate = handle.participant
                handle.participant.transport = transport
                box.participants.append(handle.participant)
            }
        }
        try await clients.waitUntil(participantCount, timeout: .seconds(20)) { $0.joinMilliseconds != nil }

        let ticks = try await clients.startSending(clock: clock, tickMicroseconds: settings.sendTickMicroseconds)
        try await clients.startParticipants()
        let window = try await clients.measure(for: duration, serverUsage: serverUsage, progress: progress)
        for tick in ticks { tick.cancel() }
        _ = try await clients.collect(distributions: false, closing: true)
        try await clients.shutdown()
        return BenchReport(scenario: "echo", participants: participantCount, expectedTracks: participantCount * 2,
                           window: window)
    }

    private func postOffer(_ sdp: String) async throws -> String {
        var request = URLRequest(url: server.appendingPathComponent("v1/echo"))
        request.httpMethod = "POST"
        request.setValue("application/sdp", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(sdp.utf8)
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: body, as: UTF8.self)
        guard (response as? HTTPURLResponse)?.statusCode == 201 else {
            throw BenchError.server("POST /v1/echo failed: \(text)")
        }
        return text
    }
}
