public import DTLS
public import ICE
import NIOCore
public import SCTP
public import SRTP

/// One peer connection's transport: ICE, DTLS and SRTP over its worker's UDP socket, with no
/// knowledge of rooms or tracks (those live above, behind `WebRTCTransportDelegate`).
///
/// Server role: ICE-lite (controlled; answers checks) and DTLS server (`a=setup:passive`).
/// Client role: ICE controlling agent sending checks to one server candidate, and DTLS client;
/// used by tests and parley-bench.
///
/// Lives on its worker's loop; every method must be called there.
public enum WebRTCTransportError: Error, Equatable {
    /// The server path has no IP address to check against.
    case unusableServerAddress
}

public final class WebRTCTransport {
    public enum Role: Sendable { case server, client }

    public enum State: Sendable, Equatable {
        /// Waiting for ICE (and the peer's SDP parameters).
        case new
        /// ICE has a path; the DTLS handshake is running.
        case connecting
        /// DTLS finished and SRTP keys are set.
        case connected
        case closed(TransportCloseReason)
    }

    /// What the peer's SDP said about its transport.
    public struct RemoteParameters: Sendable {
        public var iceCredentials: ICECredentials
        public var fingerprints: [CertificateFingerprint]
        /// This side's DTLS role as negotiated by `a=setup` (RFC 8842 §5.3). Nil: the usual one
        /// for the transport's role (an ICE-lite server answers `passive`, so it is the DTLS
        /// server; a client offering `actpass` ends up the DTLS client).
        public var localDTLSRole: DTLSRole?

        public init(iceCredentials: ICECredentials, fingerprints: [CertificateFingerprint],
                    localDTLSRole: DTLSRole? = nil) {
            self.iceCredentials = iceCredentials
            self.fingerprints = fingerprints
            self.localDTLSRole = localDTLSRole
        }
    }

    public let id: UInt64
    public let role: Role
    /// This side's ICE credentials; new ones after `restartICE()`.
    public private(set) var localCredentials: ICECredentials
    public weak var delegate: (any WebRTCTransportDelegate)?
    /// Sees each incoming SRTP/SRTCP datagram before it is decrypted; returning false drops it.
    /// For link emulation (parley-bench, tests): loss on this transport's downlink.
    public var receiveFilter: ((UnsafeRawBufferPointer, DatagramKind) -> Bool)?
    public private(set) var state: State = .new
    /// The negotiated SRTP profile once connected.
    public private(set) var srtpProfile: SRTPProfile?
    /// Data channels, once `enableDataChannels` was called and DTLS is up: open channels and
    /// send on them here; what arrives comes through the delegate.
    public internal(set) var dataChannels: DataChannelEndpoint?
    /// What the SDP settled for data channels; nil while they are not negotiated.
    public internal(set) var dataChannelConfiguration: DataChannelConfiguration?

    unowned let worker: MediaWorker
    private let dtlsContext: DTLSContext
    private var remote: RemoteParameters?
    private let liteAgent: ICELiteAgent?
    private let controllingAgent: ICEControllingAgent?
    private var dtls: DTLSEndpoint?
    private var sendSession: SRTPSession?
    private var receiveSession: SRTPSession?
    /// Where outgoing packets go: the ICE-selected path (server) or the server (client).
    private var remotePath: TransportPath?
    private var remoteKey: PathKey?
    private var scratch = [UInt8](repeating: 0, count: 1500)

    /// Creates a server-role transport on `worker`. Call on the worker's loop.
    /// `consentTimeout`: how long without a valid ICE check before the peer counts as gone
    /// (RFC 7675 §5.1 says 30 s).
    public static func makeServer(on worker: MediaWorker, dtlsContext: DTLSContext,
                                  consentTimeout: Duration = .seconds(30)) -> WebRTCTransport {
        let transport = WebRTCTransport(worker: worker, role: .server, dtlsContext: dtlsContext,
                                        local: .random(), remote: nil, serverPath: nil,
                                        consentTimeout: consentTimeout)
        worker.register(transport)
        return transport
    }

    /// Creates a client-role transport that connects to the server over `serverPath` (a UDP
    /// candidate, or a TCP connection from `MediaWorker.connectTCP`) with the server's ICE
    /// credentials and fingerprint from its answer. Call on the worker's loop.
    /// `localCredentials` must be the ones this side's SDP offered.
    public static func makeClient(on worker: MediaWorker, dtlsContext: DTLSContext,
                                  remote: RemoteParameters, serverPath: TransportPath,
                                  localCredentials: ICECredentials = .random()) throws -> WebRTCTransport {
        guard let address = serverPath.remoteAddress.flatMap(STUNTransportAddress.init) else {
            throw WebRTCTransportError.unusableServerAddress
        }
        let transport = WebRTCTransport(worker: worker, role: .client, dtlsContext: dtlsContext,
                                        local: localCredentials, remote: remote, serverPath: serverPath,
                                        consentTimeout: .seconds(30))
        worker.register(transport)
        let key = PathKey(address: address, socket: serverPath.socket ?? PathKey.tcp)
        transport.remoteKey = key
        worker.route(key, to: transport)
        return transport
    }

    private init(worker: MediaWorker, role: Role, dtlsContext: DTLSContext, local: ICECredentials,
                 remote: RemoteParameters?, serverPath: TransportPath?, consentTimeout: Duration) {
        self.id = worker.makeTransportID()
        self.worker = worker
        self.role = role
        self.dtlsContext = dtlsContext
        self.localCredentials = local
        self.remote = remote
        switch role {
        case .server:
            liteAgent = ICELiteAgent(local: local, remote: remote?.iceCredentials, consentTimeout: consentTimeout)
            controllingAgent = nil
        case .client:
            liteAgent = nil
            controllingAgent = remote.map { ICEControllingAgent(local: local, remote: $0.iceCredentials) }
            remotePath = serverPath
        }
    }

    /// This side's DTLS role: from the SDP when it said, else the transport role's usual one.
    public var dtlsRole: DTLSRole {
        remote?.localDTLSRole ?? (role == .server ? .server : .client)
    }

    /// The local DTLS certificate's fingerprint, for the SDP this side sends.
    public var localFingerprint: CertificateFingerprint { dtlsContext.certificate.fingerprint }

    /// Whether the selected path is an ICE-TCP connection.
    public var isUsingTCP: Bool { remotePath?.isTCP ?? false }

    /// Sets the peer's ICE credentials and certificate fingerprints from its SDP (server role).
    public func setRemoteParameters(_ parameters: RemoteParameters) {
        remote = parameters
        liteAgent?.setRemote(parameters.iceCredentials)
    }

    /// ICE restart (RFC 8445 §9), server role: new local credentials, returned for the SDP that
    /// carries them. The peer's credentials are unknown until its next description
    /// (`setRemoteParameters`). DTLS and SRTP continue untouched, and media keeps using the
    /// current path until the peer nominates one with the new credentials.
    public func restartICE() -> ICECredentials {
        guard let liteAgent, !isClosed else { return localCredentials }
        let previous = localCredentials.usernameFragment
        localCredentials = .random()
        liteAgent.restart(local: localCredentials, remote: nil)
        worker.changeUsernameFragment(of: self, from: previous)
        return localCredentials
    }

    /// Closes DTLS (close_notify) and stops routing packets to this transport.
    public func close() {
        finish(.closedLocally)
    }

    // MARK: Sending

    /// Encrypts and sends one RTP packet. Dropped (returns false) before the transport connects.
    @discardableResult
    public func sendRTP(_ packet: UnsafeRawBufferPointer) -> Bool {
        send(packet, isRTCP: false)
    }

    /// Encrypts and sends one (compound) RTCP packet.
    @discardableResult
    public func sendRTCP(_ packet: UnsafeRawBufferPointer) -> Bool {
        send(packet, isRTCP: true)
    }

    /// Sends DTLS application data (SCTP packets).
    public func sendApplicationData(_ bytes: UnsafeRawBufferPointer) throws(DTLSError) {
        guard case .connected = state, let dtls else { throw .notConnected }
        try dtls.write(applicationData: bytes)
    }

    /// Sends one RTP packet that `write` composes straight into its datagram: `write` gets at
    /// least `maximumLength` bytes and returns the packet's length (0 sends nothing). This lets
    /// a sender change the packet (add a header extension) in the one copy SRTP needs anyway.
    @discardableResult
    public func sendRTP(maximumLength: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
        compose(maximumLength: maximumLength, isRTCP: false, write)
    }

    private func send(_ packet: UnsafeRawBufferPointer, isRTCP: Bool) -> Bool {
        compose(maximumLength: packet.count, isRTCP: isRTCP) { target in
            guard let base = target.baseAddress, let source = packet.baseAddress else { return 0 }
            base.copyMemory(from: source, byteCount: packet.count)
            return packet.count
        }
    }

    private func compose(maximumLength: Int, isRTCP: Bool, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
        guard case .connected = state, let session = sendSession, let remotePath else { return false }
        let trailer = isRTCP ? session.profile.rtcpTrailerLength : session.profile.rtpTrailerLength
        // Written once, into the datagram's place in the send batch, and encrypted there.
        return worker.sendDatagram(via: remotePath, capacity: maximumLength + trailer) { target in
            guard target.count >= maximumLength + trailer else { return 0 }
            let length = write(UnsafeMutableRawBufferPointer(rebasing: target[0..<maximumLength]))
            guard length > 0, length <= maximumLength else { return 0 }
            do {
                return isRTCP ? try session.protectRTCP(target, length: length)
                              : try session.protectRTP(target, length: length)
            } catch {
                return 0
            }
        }
    }

    // MARK: Receiving (called by the worker)

    func handleSTUNRequest(_ buffer: ByteBuffer, from path: TransportPath, key: PathKey) {
        let source = key.address
        guard let liteAgent, !isClosed else { return }
        let now = ContinuousClock.now
        let outcome = buffer.withUnsafeReadableBytes { message in
            scratch.withUnsafeMutableBytes { response in
                liteAgent.handleBindingRequest(message, from: source, now: now, response: response)
            }
        }
        switch outcome {
        case .respond(let length, let selectedAddressChanged):
            // The path passed an authenticated check: its DTLS and SRTP may reach us.
            worker.route(key, to: self)
            if let selected = liteAgent.selectedAddress {
                // Send where the peer nominated; a new nomination moves the path (RFC 8445 §8.1.1).
                if selected == source, selectedAddressChanged || remoteKey != key {
                    remotePath = path
                    remoteKey = key
                }
            } else if remotePath == nil {
                // Browsers start DTLS once a check succeeds, possibly before they nominate.
                remotePath = path
                remoteKey = key
            }
            sendScratch(length: length, via: path)
            startDTLSIfReady()
        case .respondWithError(let length):
            sendScratch(length: length, via: path)
        case .drop:
            worker.countDropped(\.droppedSTUN)
        }
    }

    func handleSTUNResponse(_ buffer: ByteBuffer) {
        guard let controllingAgent, !isClosed else { return }
        let outcome = buffer.withUnsafeReadableBytes { controllingAgent.handleResponse($0, now: .now) }
        switch outcome {
        case .success:
            startDTLSIfReady()
        case .failure, .ignored:
            worker.countDropped(\.droppedSTUN)
        }
    }

    func handle(_ buffer: inout ByteBuffer, kind: DatagramKind) {
        if let receiveFilter, !buffer.withUnsafeReadableBytes({ receiveFilter($0, kind) }) { return }
        switch kind {
        case .dtls: handleDTLS(buffer)
        case .rtp, .rtcp: handleSRTP(&buffer, isRTCP: kind == .rtcp)
        case .stun, .unknown: break
        }
    }

    private func handleDTLS(_ buffer: ByteBuffer) {
        // A DTLS server must see the peer's first flight even before the path is nominated.
        if dtls == nil, dtlsRole == .server { startDTLSIfReady(force: true) }
        guard let dtls, !isClosed else {
            worker.countDropped(\.droppedDTLS)
            return
        }
        let events: [DTLSEvent]
        do {
            events = try buffer.withUnsafeReadableBytes { try dtls.receive($0) }
        } catch let error as DTLSError {
            finish(.dtlsFailed(error))
            return
        } catch {
            return
        }
        for event in events {
            switch event {
            case .connected(let info):
                didConnectDTLS(info)
            case .applicationData(let bytes):
                receiveSCTPPacket(bytes)
            case .closed:
                finish(.closedByPeer)
                return
            }
        }
    }

    private func handleSRTP(_ buffer: inout ByteBuffer, isRTCP: Bool) {
        guard let receiveSession else {
            worker.countDropped(\.droppedSRTP)
            return
        }
        let length = buffer.readableBytes
        let plainLength: Int? = buffer.withUnsafeMutableReadableBytes { bytes in
            do {
                return isRTCP ? try receiveSession.unprotectRTCP(bytes, length: length)
                              : try receiveSession.unprotectRTP(bytes, length: length)
            } catch {
                return nil
            }
        }
        guard let plainLength else {
            worker.countDropped(\.droppedSRTP)
            return
        }
        buffer.withUnsafeMutableReadableBytes { bytes in
            let packet = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<plainLength])
            if isRTCP {
                delegate?.transport(self, didReceiveRTCP: UnsafeRawBufferPointer(packet))
            } else {
                delegate?.transport(self, didReceiveRTP: packet)
            }
        }
    }

    // MARK: Handshake

    private func startDTLSIfReady(force: Bool = false) {
        guard dtls == nil, !isClosed, let remote else { return }
        let pathReady: Bool
        switch role {
        case .server: pathReady = force || liteAgent?.selectedAddress != nil
        case .client: pathReady = controllingAgent?.isNominated == true
        }
        guard pathReady else { return }
        do {
            let endpoint = try DTLSEndpoint(
                context: dtlsContext, role: dtlsRole,
                expectedRemoteFingerprints: remote.fingerprints,
                send: { [unowned self] datagram in self.sendDTLSDatagram(datagram) })
            dtls = endpoint
            state = .connecting
            try endpoint.start()
            worker.flushIfNeeded()
        } catch let error {
            finish(.dtlsFailed(error))
        }
    }

    private func sendDTLSDatagram(_ datagram: UnsafeRawBufferPointer) {
        guard let remotePath else { return }
        sendCopy(of: datagram, via: remotePath)
    }

    private func didConnectDTLS(_ info: DTLSConnectionInfo) {
        guard let profile = SRTPProfile(dtlsSRTPProfileIdentifier: info.srtpProfile.rawValue) else {
            finish(.dtlsFailed(.openSSL(operation: "use_srtp", reason: "unsupported profile \(info.srtpProfile)")))
            return
        }
        do {
            let keys = try SRTPMasterKey.fromDTLSKeyingMaterial(info.keyingMaterial, profile: profile)
            // RFC 5764 §4.2: keys are named by DTLS role, not by who offered.
            let (local, peer) = dtlsRole == .server ? (keys.server, keys.client) : (keys.client, keys.server)
            sendSession = try SRTPSession(profile: profile, masterKey: local, direction: .sending)
            receiveSession = try SRTPSession(profile: profile, masterKey: peer, direction: .receiving)
        } catch {
            finish(.dtlsFailed(.openSSL(operation: "SRTP keys", reason: "\(error)")))
            return
        }
        srtpProfile = profile
        state = .connected
        delegate?.transportDidConnect(self)
        startDataChannelsIfReady()
    }

    // MARK: Timers

    func tick(now: ContinuousClock.Instant) {
        guard !isClosed else { return }
        // Without the peer's parameters nobody can check yet: nothing to expire (the window
        // starts when they are set).
        if let liteAgent, remote != nil, liteAgent.consentState(now: now) == .expired {
            finish(.consentExpired)
            return
        }
        // A nil deadline means no check was sent yet: send the first one now.
        if let controllingAgent, controllingAgent.nextCheckDeadline.map({ $0 <= now }) ?? true,
           let remotePath {
            // Aggressive nomination: with one candidate pair there is nothing to choose between.
            let length = scratch.withUnsafeMutableBytes {
                controllingAgent.makeBindingRequest(nominate: true, now: now, into: $0)
            }
            sendScratch(length: length, via: remotePath)
        }
        pollDataChannels()
        if let dtls, let deadline = dtls.retransmissionDeadline, deadline <= now {
            do {
                try dtls.handleTimeout(now: now)
            } catch {
                finish(.dtlsFailed(error))
            }
        }
    }

    // MARK: Helpers

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    private func sendScratch(length: Int, via path: TransportPath) {
        guard length > 0 else { return }
        scratch.withUnsafeBytes { sendCopy(of: UnsafeRawBufferPointer(rebasing: $0[0..<length]), via: path) }
    }

    private func sendCopy(of datagram: UnsafeRawBufferPointer, via path: TransportPath) {
        _ = worker.sendDatagram(via: path, capacity: datagram.count) { target in
            target.copyMemory(from: datagram)
            return datagram.count
        }
    }

    private func finish(_ reason: TransportCloseReason) {
        guard !isClosed else { return }
        // Before DTLS closes, so the ABORT can still leave.
        closeDataChannels()
        if reason != .closedByPeer { dtls?.close() }
        state = .closed(reason)
        worker.flushIfNeeded()
        worker.unregister(self)
        delegate?.transport(self, didClose: reason)
    }
}
