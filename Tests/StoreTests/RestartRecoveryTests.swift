import Foundation
@_spi(Testing) import Store
import Testing

@Suite struct RestartRecoveryTests {
    /// Joins two participants in "r" (alice publishing two tracks) and one in "s", plus one
    /// who already left cleanly.
    private func writeLiveState(_ store: RoomStore) throws {
        try store.createRoom(NewRoom(name: "r"), now: instant(0))
        try store.createRoom(NewRoom(name: "s"), now: instant(0))
        try store.createRoom(NewRoom(name: "quiet"), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recordParticipantJoining(room: "r", identity: "bob", now: instant(2))
        try store.recordParticipantJoined(room: "s", identity: "carol", now: instant(3))
        try store.recordParticipantJoined(room: "s", identity: "dave", now: instant(3))
        try store.recordParticipantLeft(room: "s", identity: "dave", reason: "client closed", now: instant(4))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_mic", kind: .audio,
                                       source: .microphone, now: instant(5))
        try store.recordTrackPublished(room: "r", participant: "alice", trackID: "TR_cam", kind: .video,
                                       source: .camera, now: instant(5))
    }

    private func expectRecovered(_ store: RoomStore, restartedAt restart: Date) throws {
        let summary = try store.recoverAfterRestart(now: restart)
        #expect(summary == RecoverySummary(participantsMarkedLeft: 3, tracksUnpublished: 2, roomNames: ["r", "s"]))

        for (room, identity) in [("r", "alice"), ("r", "bob"), ("s", "carol")] {
            let participant = try #require(try store.participant(room: room, identity: identity))
            #expect(participant.state == .left)
            #expect(participant.leftAt == restart)
            #expect(participant.leaveReason == ParticipantLeaveReason.serverRestarted)
        }
        // Dave left before the crash; his leave is untouched.
        #expect(try store.participant(room: "s", identity: "dave")?.leaveReason == "client closed")
        #expect(try store.participants(inRoom: "r").isEmpty)
        #expect(try store.tracks(inRoom: "r").isEmpty)
        #expect(try store.tracks(inRoom: "r", activeOnly: false).map(\.unpublishedAt) == [restart, restart])

        let logged = try store.events(inRoom: "r").filter { $0.at == restart }
        #expect(logged.map(\.type) == [.trackUnpublished, .trackUnpublished, .participantLeft, .participantLeft])
        #expect(logged.map(\.participantIdentity) == ["alice", "alice", "alice", "bob"])
        #expect(logged.allSatisfy { $0.detail == ParticipantLeaveReason.serverRestarted })
        #expect(try store.events(inRoom: "s").last?.participantIdentity == "carol")

        // Idempotent: a second run finds nothing and logs nothing.
        let eventCount = try store.rowCountsForTesting()["roomEvent"]
        #expect(try store.recoverAfterRestart(now: restart.addingTimeInterval(1)) == RecoverySummary())
        #expect(try store.rowCountsForTesting()["roomEvent"] == eventCount)
    }

    @Test func participantsOfAnInstanceDroppedWithoutClosingAreMarkedLeftOnReopen() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/parley.sqlite"
        do {
            let crashed = try RoomStore(path: path)
            try writeLiveState(crashed)
            // Dropped here, with no shutdown call: the server never said goodbye.
        }
        let restarted = try RoomStore(path: path)
        #expect(try restarted.participants(inRoom: "r").map(\.state) == [.joined, .joining], "committed before the crash")
        try expectRecovered(restarted, restartedAt: instant(1000))
    }

    /// A `kill -9` leaves the database file plus its write-ahead log as they were after the
    /// last commit, and no clean close (no checkpoint, no `-wal` removal). Copying those two
    /// files while the writing store is still open reproduces exactly that image; the `-shm`
    /// index is left behind, as SQLite rebuilds it from the log.
    @Test func aCrashImageWithCommitsOnlyInTheWriteAheadLogRecovers() throws {
        let folder = try TemporaryDirectory()
        let livePath = folder.path + "/live.sqlite"
        let crashPath = folder.path + "/crash.sqlite"
        let live = try RoomStore(path: livePath)
        try writeLiveState(live)

        let files = FileManager.default
        let walSize = try #require(try files.attributesOfItem(atPath: livePath + "-wal")[.size] as? Int)
        #expect(walSize > 0, "the joins are committed but not yet checkpointed into the main file")
        try files.copyItem(atPath: livePath, toPath: crashPath)
        try files.copyItem(atPath: livePath + "-wal", toPath: crashPath + "-wal")

        // The state really lives in the log: the main file alone holds no rooms at all.
        try files.copyItem(atPath: livePath, toPath: folder.path + "/main-only.sqlite")
        #expect(try RoomStore(path: folder.path + "/main-only.sqlite").rooms().isEmpty)

        let restarted = try RoomStore(path: crashPath)
        #expect(try restarted.participants(inRoom: "r").map(\.identity) == ["alice", "bob"])
        #expect(try restarted.tracks(inRoom: "r").count == 2)
        try expectRecovered(restarted, restartedAt: instant(1000))
        // The live instance is untouched by the recovery of its copy.
        #expect(try live.participants(inRoom: "r").count == 2)
    }

    @Test func recoveryRestartsTheEmptyTimeoutAtTheRestart() throws {
        let folder = try TemporaryDirectory()
        let store = try makeStore(in: folder)
        try store.createRoom(NewRoom(name: "r", emptyTimeoutSeconds: 60), now: instant(0))
        try store.recordParticipantJoined(room: "r", identity: "alice", now: instant(1))
        try store.recoverAfterRestart(now: instant(10_000))
        #expect(try store.roomEmptySince(named: "r") == instant(10_000))
        #expect(try store.emptyRoomsToClose(now: instant(10_060)).isEmpty)
        #expect(try store.emptyRoomsToClose(now: instant(10_061)).map(\.name) == ["r"])
    }
}
