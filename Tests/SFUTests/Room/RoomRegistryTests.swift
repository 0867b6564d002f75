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

@Suite struct RoomStatisticsTests {
    @Test func sumsAddEverythingAndAClosedRoomLeavesOnlyItsCounters() {
        var first = RoomStatistics()
        first.rooms = 1
        first.participants = 3
        first.subscriptions = 6
        first.forwardedPackets = 100
        first.undecodablePackets = 2
        var second = RoomStatistics()
        second.rooms = 1
        second.participants = 2
        second.forwardedPackets = 50
        second.relayedDataMessages = 7

        let sum = first + second
        #expect(sum.rooms == 2 && sum.participants == 5 && sum.subscriptions == 6)
        #expect(sum.forwardedPackets == 150 && sum.undecodablePackets == 2 && sum.relayedDataMessages == 7)

        var closed = RoomStatistics()
        closed.addCounters(of: first)
        #expect(closed.rooms == 0 && closed.participants == 0 && closed.subscriptions == 0,
                "a closed room holds nobody")
        #expect(closed.forwardedPackets == 100 && closed.undecodablePackets == 2)
    }
}
