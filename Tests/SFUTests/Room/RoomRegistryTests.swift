import DTLS
import SFU
import Testing
import WebRTC

@Suite struct RoomRegistryTests {
    @Test func roomsSpreadOverWorkersAndKeepTheirPlace() async throws {
        let media = try await MediaServer.start(
            MediaServerConfiguration(bindHost: "127.0.0.1", bindIPv6Host: nil, basePort: 0, workerCount: 2,
                                     enableTCP: false, announcedAddresses: ["127.0.0.1"]),
            certificate: .generateSelfSigned())
        let registry = RoomRegistry(media: media)
        let first = await registry.room(named: "standup")
        let second = await registry.room(named: "retro")
        #expect(first.worker.index != second.worker.index, "two rooms on a 2-worker server use both cores")
        #expect(await registry.room(named: "standup") === first, "a room is found again, not recreated")

        await registry.close(named: "standup")
        #expect(await registry.roomNames == ["retro"])
        let third = await registry.room(named: "planning")
        #expect(third.worker.index == first.worker.index, "the freed worker is the least loaded again")
        await registry.close(named: "retro")
        await registry.close(named: "planning")
        await media.shutdown()
    }
}
