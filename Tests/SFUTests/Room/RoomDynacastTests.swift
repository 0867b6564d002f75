import NIOConcurrencyHelpers
import SFU
import Testing

/// Dynacast: the room tells a publisher which of its video's layers anyone wants, at once when
/// one is wanted again and after the release delay when one is not.
@Suite struct RoomDynacastTests {
    struct Announcement {
        let layers: [Bool]
        let at: ContinuousClock.Instant
    }

    @Test func thePublisherHearsWhichLayersItsSubscribersWant() async throws {
        // Long enough that "at once" and "after the delay" stay apart on a loaded machine.
        let delay = Duration.seconds(1)
        let bed = try await RoomTestBed.make(name: "dynacast", layerReleaseDelay: delay)
        let room = bed.room
        let heard = NIOLockedValueBox<[Announcement]>([])
        let listener = Task {
            for await event in room.events {
                guard case .publicationLayersWanted(let owner, let track, let layers) = event,
                      owner == "alice", track == "cam" else { continue }
                #expect(layers.map(\.rid) == ["q", "h", "f"])
                heard.withLockedValue { $0.append(Announcement(layers: layers.map(\.active), at: .now)) }
            }
        }
        defer { listener.cancel() }
        func latest() -> [Bool]? { heard.withLockedValue { $0.last?.layers } }
        func count() -> Int { heard.withLockedValue { $0.count } }
        func history() -> [[Bool]] { heard.withLockedValue { $0.map(\.layers) } }

        _ = try await bed.join("alice")
        _ = try await bed.join("bob")
        let published = ContinuousClock.now
        try await room.publish("alice", trackID: "cam", description: SyntheticVP8Simulcast.description)
        // Nobody subscribed: every layer goes, after the delay.
        #expect(try await eventually { latest() == [false, false, false] }, "\(history())")
        #expect(try #require(heard.withLockedValue { $0.last?.at }) - published >= delay)

        // Bob wants the middle layer: the lower ones come with it, at once.
        let asked = ContinuousClock.now
        _ = try await room.subscribe("bob", to: "cam", preferences: SubscriptionPreferences(maxSpatialLayer: 1))
        #expect(try await eventually { latest() == [true, true, false] }, "\(history())")
        #expect(try #require(heard.withLockedValue { $0.last?.at }) - asked < delay, "turning on does not wait")

        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences())
        #expect(try await eventually { latest() == [true, true, true] }, "\(history())")

        // Down and back up within the delay: the publisher is not bothered.
        let before = count()
        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences(maxSpatialLayer: 0))
        try await Task.sleep(for: .milliseconds(100))
        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences())
        try await Task.sleep(for: delay * 2)
        #expect(count() == before, "\(history())")

        // Bob hides the video: after the delay, nothing is wanted.
        let hidden = ContinuousClock.now
        try await room.updatePreferences("bob", trackID: "cam", SubscriptionPreferences(paused: true))
        #expect(try await eventually { latest() == [false, false, false] }, "\(history())")
        #expect(try #require(heard.withLockedValue { $0.last?.at }) - hidden >= delay)
        try await bed.shutdown()
    }
}
