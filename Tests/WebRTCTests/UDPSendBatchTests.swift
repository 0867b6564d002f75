import Glibc
import NIOCore
import NIOPosix
import Testing
@testable import WebRTC

/// `UDPSendBatch` on real loopback sockets: what is queued arrives, in order and intact.
@Suite struct UDPSendBatchTests {
    /// A bound sender descriptor, closed at the end.
    private func withSender(_ body: (CInt) async throws -> Void) async throws {
        let descriptor = try UDPSocketDescriptor.bind(host: "127.0.0.1", port: 0)
        defer { _ = Glibc.close(descriptor) }
        try await body(descriptor)
    }

    /// A receiving socket on loopback, closed at the end.
    private func withReceiver(_ body: (RawUDPSocket, SocketAddress) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let receiver = try await RawUDPSocket.bind(on: group)
        do {
            try await body(receiver, try #require(receiver.localAddress))
        } catch {
            try? await receiver.close()
            try? await group.shutdownGracefully()
            throw error
        }
        try await receiver.close()
        try await group.shutdownGracefully()
    }

    private func waitForDatagrams(_ receiver: RawUDPSocket, count: Int) async throws -> [[UInt8]] {
        for _ in 0..<200 where receiver.datagrams.count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        return receiver.datagrams
    }

    private func queue(_ bytes: [UInt8], on batch: UDPSendBatch, to address: SocketAddress) -> Bool {
        batch.append(to: address) { slot in
            slot.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
            return bytes.count
        }
    }

    @Test func datagramsBeyondOneBatchAllArriveInOrder() async throws {
        try await withReceiver { receiver, address in try await withSender { descriptor in
            let batch = UDPSendBatch(descriptor: descriptor, capacity: 8)
            for index in 0..<20 {
                // Sizes vary so a slot's stale bytes would show.
                let payload = [UInt8](repeating: UInt8(index), count: 100 + (index % 3) * 500)
                #expect(queue(payload, on: batch, to: address))
            }
            // A full batch was sent when the 9th and 17th were queued; 4 wait for the flush.
            #expect(batch.count == 4)
            batch.flush()
            #expect(batch.count == 0)
            let datagrams = try await waitForDatagrams(receiver, count: 20)
            #expect(datagrams.count == 20)
            for (index, datagram) in datagrams.enumerated() {
                #expect(datagram == [UInt8](repeating: UInt8(index), count: 100 + (index % 3) * 500))
            }
            #expect(batch.failed == 0)
        } }
    }

    @Test func nothingIsQueuedWhenFillWritesNothing() async throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 9)
        try await withSender { descriptor in
            let batch = UDPSendBatch(descriptor: descriptor, capacity: 4)
            #expect(!batch.append(to: address) { _ in 0 })
            #expect(!batch.append(to: address) { _ in UDPSendBatch.slotSize + 1 })
            #expect(batch.count == 0)
        }
    }

    @Test func aRefusedDatagramIsCountedAndTheRestStillGo() async throws {
        // An IPv6 destination on an IPv4 socket: the kernel refuses that one message.
        let refused = try SocketAddress(ipAddress: "::1", port: 9)
        try await withReceiver { receiver, address in try await withSender { descriptor in
            let batch = UDPSendBatch(descriptor: descriptor, capacity: 8)
            #expect(queue([1], on: batch, to: address))
            #expect(queue([2], on: batch, to: refused))
            #expect(queue([3], on: batch, to: address))
            batch.flush()
            #expect(batch.failed == 1)
            let datagrams = try await waitForDatagrams(receiver, count: 2)
            #expect(datagrams == [[1], [3]])
        } }
    }

    @Test func aClosedBatchSendsWhatItHeldAndTakesNoMore() async throws {
        try await withReceiver { receiver, address in try await withSender { descriptor in
            let batch = UDPSendBatch(descriptor: descriptor, capacity: 8)
            #expect(queue([7], on: batch, to: address))
            batch.close()
            #expect(!queue([8], on: batch, to: address))
            let datagrams = try await waitForDatagrams(receiver, count: 1)
            try await Task.sleep(for: .milliseconds(50))
            #expect(datagrams == [[7]])
            #expect(receiver.datagrams == [[7]])
        } }
    }
}
