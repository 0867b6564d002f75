import Foundation
import Store
import Testing

@Suite struct TrackStoreTests {
    @Test func publishedTrackRoundTripsEveryField() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        let room = try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        let track = try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_cam",
                                                   kind: .video, source: .screenShare, muted: true,
                                                   now: instant(2))
        let expected = TrackRecord(roomID: room.id, participantIdentity: "alice", trackID: "TR_cam",
                                   kind: .video, source: .screenShare, muted: true,
                                   publishedAt: instant(2), unpublishedAt: nil)
        #expect(track == expected)
        #expect(try store.track(room: "r", trackID: "TR_cam") == expected)
        #expect(try store.tracks(inRoom: "r") == [expected])
        #expect(try store.track(room: "r", trackID: "TR_none") == nil)
    }

    @Test func muteUnpublishAndActiveFilter() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_mic", kind: .audio,
                                       source: .microphone, now: instant(2))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_cam", kind: .video,
                                       source: .camera, now: instant(3))

        #expect(try store.setTrackMuted(room: "r", trackID: "TR_mic", muted: true).muted)
        #expect(try store.track(room: "r", trackID: "TR_mic")?.muted == true)
        #expect(try store.setTrackMuted(room: "r", trackID: "TR_mic", muted: false).muted == false)

        let gone = try store.recordTrackUnpublished(room: "r", trackID: "TR_cam", now: instant(7))
        #expect(gone.unpublishedAt == instant(7))
        #expect(!gone.isActive)
        #expect(try store.recordTrackUnpublished(room: "r", trackID: "TR_cam", now: instant(8)) == gone,
                "unpublishing twice changes nothing")
        #expect(try store.tracks(inRoom: "r").map(\.trackID) == ["TR_mic"])
        #expect(try store.tracks(inRoom: "r", activeOnly: false).map(\.trackID) == ["TR_mic", "TR_cam"])
        #expect(throws: StoreError.trackUnpublished(room: "r", trackID: "TR_cam")) {
            try store.setTrackMuted(room: "r", trackID: "TR_cam", muted: true)
        }
        #expect(throws: StoreError.unknownTrack(room: "r", trackID: "TR_x")) {
            try store.setTrackMuted(room: "r", trackID: "TR_x", muted: true)
        }
        #expect(throws: StoreError.unknownTrack(room: "r", trackID: "TR_x")) {
            try store.recordTrackUnpublished(room: "r", trackID: "TR_x", now: instant(9))
        }
    }

    @Test func publishingNeedsAPresentParticipantAndAFreshTrackID() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        #expect(throws: StoreError.unknownParticipant(room: "r", identity: "ghost")) {
            try store.recordTrackPublished(room: "r", participant: "ghost", trackID: "TR_1", kind: .audio,
                                           now: instant(1))
        }
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_1", kind: .audio, now: instant(2))
        #expect(throws: StoreError.duplicateTrack(room: "r", trackID: "TR_1")) {
            try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_1", kind: .video,
                                           now: instant(3))
        }
        try store.recordParticipantLeft(room: "r", identity: "alice", reason: "bye", now: instant(4))
        #expect(throws: StoreError.participantHasLeft(room: "r", identity: "alice")) {
            try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_2", kind: .audio,
                                           now: instant(5))
        }
    }

    @Test func leavingUnpublishesTheParticipantsTracksOnly() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordParticipantJoined(room: "r", identity: "bob", now: instant(1))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_a", kind: .audio, now: instant(2))
        try store.recordTrackPublished(room: "r", participant: "bob", trackID: "TR_b", kind: .audio, now: instant(2))
        try store.recordParticipantLeft(room: "r", identity: "alice", reason: "bye", now: instant(5))
        #expect(try store.tracks(inRoom: "r").map(\.trackID) == ["TR_b"])
        #expect(try store.track(room: "r", trackID: "TR_a")?.unpublishedAt == instant(5))
    }
}
