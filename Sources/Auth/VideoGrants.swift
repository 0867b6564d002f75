/// What a token allows, carried in its `video` claim under the JSON names LiveKit uses, so
/// tokens read the same to anyone who knows LiveKit's.
///
/// Room-scoped grants (``roomJoin``, ``roomAdmin`` and the three `can…` flags) hold only for
/// ``room``; with ``room`` nil they hold for no room. ``roomCreate`` and ``roomList`` are
/// server-wide. ``canPublish``, ``canSubscribe`` and ``canPublishData`` only mean something
/// together with ``roomJoin`` (see `VerifiedToken.require(_:room:)`).
///
/// Defaults, as in LiveKit: when a `can…` flag is not given (nil in ``init``, absent in the
/// JSON), it is `true` if ``roomJoin`` is granted and `false` otherwise. So a plain join token
/// lets its holder publish, subscribe and send data; a viewer token sets `canPublish: false`.
/// ``hidden`` (default false) asks the SFU not to announce the participant to others.
public struct VideoGrants: Sendable, Hashable, Codable {
    public var roomCreate: Bool
    public var roomList: Bool
    public var roomAdmin: Bool
    public var roomJoin: Bool
    /// The room that the room-scoped grants are for.
    public var room: String?
    public var canPublish: Bool
    public var canSubscribe: Bool
    public var canPublishData: Bool
    public var hidden: Bool

    /// No grant at all unless given; see the type's documentation for the `can…` defaults.
    public init(
        roomCreate: Bool = false,
        roomList: Bool = false,
        roomAdmin: Bool = false,
        roomJoin: Bool = false,
        room: String? = nil,
        canPublish: Bool? = nil,
        canSubscribe: Bool? = nil,
        canPublishData: Bool? = nil,
        hidden: Bool = false
    ) {
        self.roomCreate = roomCreate
        self.roomList = roomList
        self.roomAdmin = roomAdmin
        self.roomJoin = roomJoin
        self.room = room
        self.canPublish = canPublish ?? roomJoin
        self.canSubscribe = canSubscribe ?? roomJoin
        self.canPublishData = canPublishData ?? roomJoin
        self.hidden = hidden
    }

    /// A participant token for one room: join, publish, subscribe and send data.
    public static func join(room: String) -> VideoGrants {
        VideoGrants(roomJoin: true, room: room)
    }

    private enum CodingKeys: String, CodingKey {
        case roomCreate, roomList, roomAdmin, roomJoin, room
        case canPublish, canSubscribe, canPublishData, hidden
    }

    /// Absent booleans are false, absent `can…` flags follow ``roomJoin``; a present value of
    /// the wrong JSON type is an error (the verifier reports it as ``AuthError/malformed``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let join = try container.decodeIfPresent(Bool.self, forKey: .roomJoin) ?? false
        self.init(
            roomCreate: try container.decodeIfPresent(Bool.self, forKey: .roomCreate) ?? false,
            roomList: try container.decodeIfPresent(Bool.self, forKey: .roomList) ?? false,
            roomAdmin: try container.decodeIfPresent(Bool.self, forKey: .roomAdmin) ?? false,
            roomJoin: join,
            room: try container.decodeIfPresent(String.self, forKey: .room),
            canPublish: try container.decodeIfPresent(Bool.self, forKey: .canPublish),
            canSubscribe: try container.decodeIfPresent(Bool.self, forKey: .canSubscribe),
            canPublishData: try container.decodeIfPresent(Bool.self, forKey: .canPublishData),
            hidden: try container.decodeIfPresent(Bool.self, forKey: .hidden) ?? false
        )
    }

    /// Every flag is written explicitly, so a reader need not know the defaults.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomCreate, forKey: .roomCreate)
        try container.encode(roomList, forKey: .roomList)
        try container.encode(roomAdmin, forKey: .roomAdmin)
        try container.encode(roomJoin, forKey: .roomJoin)
        try container.encodeIfPresent(room, forKey: .room)
        try container.encode(canPublish, forKey: .canPublish)
        try container.encode(canSubscribe, forKey: .canSubscribe)
        try container.encode(canPublishData, forKey: .canPublishData)
        try container.encode(hidden, forKey: .hidden)
    }
}
