import SFU
import Testing

@Suite struct PriorityLayerAllocatorTests {
    static let simulcast: [Int?] = [150_000, 500_000, 1_500_000]
    let allocator = PriorityLayerAllocator(upSwitchHeadroom: 1.15)

    func video(_ bitrates: [Int?] = simulcast, max: Int? = 2, previous: Int? = nil,
               priority: Int = 0) -> LayerAllocationRequest {
        LayerAllocationRequest(priority: priority, layerBitrates: bitrates, maxLayer: max, previousLayer: previous)
    }

    @Test func theBestLayerThatFitsWithHeadroomOnTheWayUp() {
        #expect(allocator.allocate([video()], availableBitrate: 5_000_000) == [2])
        #expect(allocator.allocate([video()], availableBitrate: 1_000_000) == [1])
        // 1.6 Mbit/s holds layer 2 once there, but does not take it from below (1.5 M × 1.15).
        #expect(allocator.allocate([video(previous: 1)], availableBitrate: 1_600_000) == [1])
        #expect(allocator.allocate([video(previous: 2)], availableBitrate: 1_600_000) == [2])
        #expect(allocator.allocate([video(previous: 2)], availableBitrate: 1_400_000) == [1], "down at once")
    }

    @Test func nothingFitsGivesNil() {
        #expect(allocator.allocate([video()], availableBitrate: 100_000) == [nil])
        #expect(allocator.allocate([video(previous: 0)], availableBitrate: 150_000) == [0])
    }

    @Test func theSubscribersCeilingAndPauseAreKept() {
        #expect(allocator.allocate([video(max: 0)], availableBitrate: 10_000_000) == [0])
        #expect(allocator.allocate([video(max: nil)], availableBitrate: 10_000_000) == [nil])
    }

    @Test func layersNotArrivingAreSkipped() {
        #expect(allocator.allocate([video([150_000, nil, 1_500_000])], availableBitrate: 1_000_000) == [0])
        #expect(allocator.allocate([video([nil, 500_000, 1_500_000])], availableBitrate: 1_000_000) == [1])
        #expect(allocator.allocate([video([nil, nil, nil])], availableBitrate: 10_000_000) == [nil])
    }

    @Test func audioComesFirstAndIsNeverLimited() {
        let audio = LayerAllocationRequest(isAudio: true, layerBitrates: [64_000], maxLayer: 0)
        #expect(allocator.allocate([audio, video()], availableBitrate: 64_000 + 600_000) == [nil, 1])
        #expect(allocator.allocate([audio, video()], availableBitrate: 64_000 + 500_000) == [nil, 0])
    }

    @Test func everyVideoGetsItsLowestLayerBeforeAnyRises() {
        // 3 × 150 k first, then each rises one layer per round, in turn, while it fits.
        #expect(allocator.allocate([video(), video(), video()], availableBitrate: 1_200_000) == [1, 0, 0])
        #expect(allocator.allocate([video(), video(), video()], availableBitrate: 1_300_000) == [1, 1, 0])
        #expect(allocator.allocate([video(), video(), video()], availableBitrate: 400_000) == [0, 0, nil])
    }

    @Test func higherPriorityRisesFirst() {
        // The priority video reaches its top layer before the other leaves its lowest.
        #expect(allocator.allocate([video(), video(priority: 1)], availableBitrate: 2_200_000) == [1, 2])
        #expect(allocator.allocate([video(), video(priority: 1)], availableBitrate: 1_900_000) == [0, 2])
        #expect(allocator.allocate([video(), video(priority: 1)], availableBitrate: 1_000_000) == [0, 1])
        // With too little for both lowest layers, the higher priority one gets its layer.
        #expect(allocator.allocate([video(), video(priority: 1)], availableBitrate: 200_000) == [nil, 0])
    }

    /// Equal priorities share round by round; a pinned video takes what it needs first. With
    /// 2.2 Mbit/s three equal videos all get the middle layer, but a pinned one gets the top
    /// while the others stay on their lowest.
    @Test func aPinnedVideoGetsItsBestLayerWhileTheOthersWait() {
        let pinned = LayerAllocationRequest.pinnedPriority
        #expect(allocator.allocate([video(), video(), video()], availableBitrate: 2_200_000) == [1, 1, 1])
        #expect(allocator.allocate([video(), video(), video(priority: pinned)], availableBitrate: 2_200_000) == [0, 0, 2])
        // Pinned above a screen share above the active speaker above the rest.
        let order = [LayerAllocationRequest.pinnedPriority, LayerAllocationRequest.screenSharePriority,
                     LayerAllocationRequest.activeSpeakerPriority, 0]
        #expect(order == order.sorted(by: >))
        #expect(LayerAllocationRequest.screenSharePriority + LayerAllocationRequest.activeSpeakerPriority
                < LayerAllocationRequest.pinnedPriority, "a speaking screen sharer stays below a pinned camera")
        // Within a group, the same round robin as before.
        #expect(allocator.allocate([video(priority: 1), video(), video(priority: 1)], availableBitrate: 1_300_000)
                == [1, 0, 1])
    }
}
