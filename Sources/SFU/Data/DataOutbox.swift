import SCTP

/// Messages waiting for room in one participant's SCTP send buffer, oldest first, bounded in
/// bytes so a participant that reads slowly costs a fixed amount of memory and never holds up
/// the others (their messages go out at once; this one's wait here, then overflow).
struct DataOutbox {
    struct Message {
        var streamID: UInt16
        var kind: DataChannelMessageKind
        var bytes: [UInt8]
    }

    /// What one participant may have waiting on top of usrsctp's own 1 MiB send buffer.
    static let defaultCapacity = 1 << 20

    let capacity: Int
    private(set) var queuedBytes = 0
    private var messages: [Message] = []
    private var head = 0

    init(capacity: Int = DataOutbox.defaultCapacity) {
        self.capacity = capacity
    }

    var isEmpty: Bool { head == messages.count }
    var count: Int { messages.count - head }

    /// Queues a message; false (and nothing queued) if it would pass the capacity.
    mutating func append(_ message: Message) -> Bool {
        guard queuedBytes + message.bytes.count <= capacity else { return false }
        queuedBytes += message.bytes.count
        messages.append(message)
        return true
    }

    var first: Message? { isEmpty ? nil : messages[head] }

    mutating func removeFirst() {
        guard !isEmpty else { return }
        queuedBytes -= messages[head].bytes.count
        head += 1
        if head == messages.count {
            messages.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// Forgets what was queued for a stream that closed.
    mutating func removeAll(onStream streamID: UInt16) {
        let kept = messages[head...].filter { $0.streamID != streamID }
        messages = Array(kept)
        head = 0
        queuedBytes = messages.reduce(0) { $0 + $1.bytes.count }
    }
}
