/// Why a `RoomStore` call failed. Rooms are named by their `name`; participants by their
/// identity within a room; tracks by their track id within a room.
public enum StoreError: Error, Equatable, Sendable {
    /// The database file could not be created, opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// An open room already has this name (closed rooms may share names).
    case duplicateRoomName(String)
    /// No room, open or closed, has this name.
    case unknownRoom(String)
    /// The room has finished; it accepts no new participants, tracks or changes.
    case roomClosed(String)
    /// The room already has `maxParticipants` participants joining or joined.
    case roomFull(room: String, maxParticipants: Int)
    case unknownParticipant(room: String, identity: String)
    /// A participant with this identity is already joined; record its leave first.
    case participantAlreadyJoined(room: String, identity: String)
    /// The participant has left; it cannot publish or be updated until it joins again.
    case participantHasLeft(room: String, identity: String)
    case unknownTrack(room: String, trackID: String)
    /// The room already has (or had) a track with this id.
    case duplicateTrack(room: String, trackID: String)
    /// The track was unpublished; it cannot be muted or unmuted.
    case trackUnpublished(room: String, trackID: String)
    /// Any other SQLite failure, with SQLite's message.
    case database(String)
}
