import DTLS
import Foundation
import NIOPosix
import SFU
import Testing
import WebRTC

/// Memory per subscription (the budget is 64 KiB): resident memory before and after 100
/// subscribers each subscribe to 20 publications, divided by the 2000 subscriptions. A
/// subscription allocates and fills all it owns when created (rings, logs), so this is its
/// steady-state footprint; the publications and participants exist before the first reading.
@Suite struct SubscriptionMemoryTests {
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return (Int(statm[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func aSubscriptionCostsLessThan64KiB() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let worker = try await MediaWorker.bind(index: 0, host: "127.0.0.1", port: 0, on: group.next())
        let room = Room(name: "memory", worker: worker, dtlsContext: try DTLSContext(certificate: .generateSelfSigned()))
        let publications = 20, subscribers = 100
        _ = try await room.join("publisher")
        for index in 0..<publications {
            try await room.publish("publisher", trackID: "t\(index)", description: TrackDescription(
                kind: .audio, source: .microphone, codec: TrackCodec(name: "opus", payloadType: 111, clockRate: 48_000),
                layers: [TrackLayer(ssrc: UInt32(index + 1))]))
        }
        for subscriber in 0..<subscribers { _ = try await room.join("s\(subscriber)") }

        let before = try Self.residentBytes()
        for subscriber in 0..<subscribers {
            for index in 0..<publications { _ = try await room.subscribe("s\(subscriber)", to: "t\(index)") }
        }
        let after = try Self.residentBytes()
        let perSubscription = (after - before) / (publications * subscribers)
        print("resident bytes per subscription: \(perSubscription)")
        #expect(perSubscription > 1024, "a subscription owns its rings and logs")
        #expect(perSubscription <= 64 * 1024, "\(perSubscription) bytes per subscription")
        await room.close()
        await worker.close()
        try await group.shutdownGracefully()
    }
}
