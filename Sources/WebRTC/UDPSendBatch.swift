import CSendmmsg
import Glibc
public import NIOCore

/// The datagrams one UDP socket sends in a turn of its event loop, written into preallocated
/// slots and sent with one sendmmsg(2) per batch.
///
/// The hot path's only copy of a payload is the one into its slot, where SRTP then encrypts it
/// in place; nothing is allocated per datagram. (Going through NIO's channel instead costs a
/// ByteBuffer, an envelope and a pending-write node per datagram, which the profile of a
/// fan-out-10 webinar showed as most of the user-space time.)
///
/// Used on its worker's loop only.
final class UDPSendBatch {
    /// Larger than any datagram WebRTC sends; longer ones go through the channel instead.
    static let slotSize = 2048

    let descriptor: CInt
    let capacity: Int
    /// Datagrams queued and not yet sent.
    private(set) var count = 0
    /// Datagrams the kernel refused (full socket buffer, unreachable address, …): UDP drops them.
    private(set) var failed: UInt64 = 0
    /// Cleared before the socket closes, as its descriptor number may then be reused.
    private(set) var isOpen = true

    private let slots: UnsafeMutableRawPointer
    private let vectors: UnsafeMutablePointer<iovec>
    private let messages: UnsafeMutablePointer<parley_mmsghdr>
    private let addresses: UnsafeMutablePointer<sockaddr_storage>

    /// Counts how long what each flush sends spent in the worker, when given.
    private let delay: ProcessingDelayRecorder?

    init(descriptor: CInt, capacity: Int, delay: ProcessingDelayRecorder? = nil) {
        self.descriptor = descriptor
        self.capacity = capacity
        self.delay = delay
        slots = .allocate(byteCount: capacity * Self.slotSize, alignment: 16)
        vectors = .allocate(capacity: capacity)
        messages = .allocate(capacity: capacity)
        addresses = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        for index in 0..<capacity {
            vectors[index] = iovec(iov_base: slots + index * Self.slotSize, iov_len: 0)
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(addresses + index)
            header.msg_iov = vectors + index
            header.msg_iovlen = 1
            messages[index] = parley_mmsghdr(msg_hdr: header, msg_len: 0)
        }
    }

    deinit {
        slots.deallocate()
        vectors.deallocate()
        messages.deallocate()
        addresses.deallocate()
    }

    /// Queues one datagram to `remote`: `fill` writes it into the slot it is given
    /// (`slotSize` bytes) and returns its length, or 0 to send nothing. A full batch is sent
    /// first. Returns whether a datagram was queued.
    @inline(__always)
    func append(to remote: SocketAddress, _ fill: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
        guard isOpen else { return false }
        if count == capacity { flush() }
        let index = count
        let length = fill(UnsafeMutableRawBufferPointer(start: slots + index * Self.slotSize, count: Self.slotSize))
        guard length > 0, length <= Self.slotSize else { return false }
        let addressLength = remote.withSockAddr { address, size -> Int in
            guard size <= MemoryLayout<sockaddr_storage>.size else { return 0 }
            UnsafeMutableRawPointer(addresses + index).copyMemory(from: address, byteCount: size)
            return size
        }
        guard addressLength > 0 else { return false }
        vectors[index].iov_len = length
        messages[index].msg_hdr.msg_namelen = socklen_t(addressLength)
        count += 1
        return true
    }

    /// Sends everything queued. A datagram the kernel refuses is skipped and counted; a full
    /// socket buffer drops the rest of the batch (counted), as a congested UDP path would.
    func flush() {
        var next = 0
        while next < count {
            let sent = parley_sendmmsg(descriptor, messages + next, UInt32(count - next), 0)
            if sent > 0 {
                next += Int(sent)
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK, ENOBUFS:
                failed &+= UInt64(count - next)
                next = count
            default:
                failed &+= 1
                next += 1
            }
        }
        delay?.sent(count)
        count = 0
    }

    /// Sends what is queued and stops using the descriptor (call before its channel closes).
    func close() {
        if isOpen { flush() }
        isOpen = false
    }
}
