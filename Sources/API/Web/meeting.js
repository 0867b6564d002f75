// A meeting from the browser's side: the signaling socket, a publisher peer connection (the
// page offers, the server answers) and a subscriber peer connection (the server offers, the page
// answers). Two connections, each negotiated by one side only, so renegotiation never glares.
import { DataLink } from "./data.js";
import { SignalingClient } from "./signaling.js";

/** Simulcast layers, lowest first (the server reads them in this order). */
const VIDEO_LAYERS = [
  { rid: "q", scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: "h", scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: "f", scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];
const CAPTURE = { width: 640, height: 480 };
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

export class Meeting extends EventTarget {
  constructor(token) {
    super();
    this.token = token;
    this.self = null;
    /** sid → { info, stream, videoTrackSid, audioTrackSid, speaking } */
    this.participants = new Map();
    this.localStream = null;
    this.localTracks = new Map(); // kind → { track, sid }
    this.publishedLayers = new Map(); // own track sid → the server's last publication_layers (dynacast)
    this.mediaError = null;
    this.state = "new";
    this.left = false;
    this.attempt = 0;
    this.midToParticipant = new Map();
  }

  // MARK: Lifecycle

  async start() {
    await this.#acquireMedia();
    await this.#connect();
  }

  async leave() {
    this.left = true;
    this.signaling?.send("leave");
    this.#teardown();
    this.#setState("left");
  }

  async #acquireMedia() {
    try {
      this.localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: CAPTURE });
    } catch (error) {
      // Join anyway, receive-only; say why nothing is sent.
      this.mediaError = error.name === "NotAllowedError"
        ? "Camera and microphone permission was denied: you can see and hear others, they cannot see or hear you."
        : error.name === "NotFoundError"
          ? "No camera or microphone was found: you can see and hear others, they cannot see or hear you."
          : `Camera and microphone unavailable (${error.message}).`;
      this.#emit("mediaerror", { message: this.mediaError });
    }
  }

  async #connect() {
    this.#setState(this.attempt === 0 ? "connecting" : "reconnecting");
    const signaling = new SignalingClient(this.token, {
      onMessage: (type, data) => this.#onMessage(type, data),
      onClose: () => this.#onSignalingClosed(signaling),
    });
    this.signaling = signaling;
    const client = { sdk: "parley-web", sdkVersion: "1" };
    try {
      await signaling.opened;
      // After a drop, resume as the same participant: the server keeps us for a grace period.
      const resume = this.self && this.reconnectToken
        ? { participantSid: this.self.sid, reconnectToken: this.reconnectToken } : null;
      let joined;
      try {
        joined = await signaling.request("join", { client, autoSubscribe: true, ...(resume ? { resume } : {}) });
      } catch (error) {
        if (error.code !== "resume_failed") throw error;
        // Too late (or the server restarted): start over as a new participant on this socket.
        this.#teardownMedia();
        joined = await signaling.request("join", { client, autoSubscribe: true });
      }
      this.attempt = 0;
      this.reconnectToken = joined.reconnectToken;
      this.#startPinging(signaling, joined.pingInterval);
      if (joined.resumed) {
        this.#onResumed(joined);
        await this.#restartPublisherICE();
      } else {
        this.#onJoined(joined);
        await this.#publish();
      }
      this.#setState("connected");
    } catch (error) {
      console.warn("join failed:", error.message);
      signaling.close();
    }
  }

  #onSignalingClosed(signaling) {
    if (signaling !== this.signaling) return;
    clearInterval(this.pingTimer);
    this.signaling = null;
    if (this.left) {
      this.#teardown();
      return;
    }
    // Automatic reconnect. The peer connections stay: a resume keeps them (with an ICE restart);
    // only a failed resume replaces them.
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.#setState("reconnecting");
    this.reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #startPinging(signaling, seconds) {
    // The server counts a socket silent past its ping timeout as dropped.
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => signaling.send("ping", { timestamp: Date.now() }), Math.max(1, seconds || 10) * 1000);
  }

  #teardown() {
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const signaling = this.signaling;
    this.signaling = null;
    signaling?.close();
    this.#teardownMedia();
  }

  #teardownMedia() {
    this.data = null;
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.subscriber = null;
    this.subscriberQueue = Promise.resolve();
    for (const sid of [...this.participants.keys()]) this.#removeParticipant(sid);
    this.midToParticipant.clear();
    this.self = null;
    this.reconnectToken = null;
  }

  // MARK: Server messages

  #onJoined(joined) {
    this.self = joined.participant;
    this.room = joined.room;
    this.#emit("joined", { self: this.self, room: this.room });
    this.subscriber = this.#makeSubscriber();
    for (const info of joined.participants) this.#addParticipant(info);
  }

  #onResumed(joined) {
    // The same participant on a new socket. Events missed meanwhile are not replayed: bring the
    // participant list in line with the server's.
    this.self = joined.participant;
    const present = new Set(joined.participants.map((info) => info.sid));
    for (const sid of [...this.participants.keys()]) if (!present.has(sid)) this.#removeParticipant(sid);
    for (const info of joined.participants) {
      const participant = this.participants.get(info.sid);
      if (!participant) {
        this.#addParticipant(info);
        continue;
      }
      participant.info = info;
      this.#emit("participantupdated", { participant });
    }
    this.#emit("resumed", { self: this.self });
  }

  #onMessage(type, data) {
    switch (type) {
      case "subscribe_offer": this.#answerSubscriberOffer(data); break;
      case "participant_joined": this.#addParticipant(data.participant); break;
      case "participant_left": this.#removeParticipant(data.sid); break;
      case "track_published": this.#trackPublished(data); break;
      case "track_unpublished": this.#trackUnpublished(data); break;
      case "track_muted": this.#trackMuted(data); break;
      case "active_speakers": this.#activeSpeakers(data.speakers); break;
      case "connection_quality": this.#connectionQuality(data.updates ?? []); break;
      case "subscription_paused": this.#subscriptionPaused(data); break;
      case "publication_layers": this.#publicationLayers(data); break;
      case "bandwidth_estimate":
        // The server's estimate of our downlink (bits/s), and what it sends us now.
        this.bandwidthEstimate = data;
        this.#emit("bandwidth", data);
        break;
      case "leave":
        this.left = true;
        this.leaveReason = data.reason;
        this.#teardown();
        this.#setState("left");
        this.#emit("removed", { reason: data.reason });
        break;
      case "data": this.#emit("data", data); break;
      case "error": console.warn("signaling error:", data.code, data.message); break;
    }
  }

  #addParticipant(info) {
    if (!info || info.sid === this.self?.sid || this.participants.has(info.sid)) return;
    const participant = { info, stream: new MediaStream(), speaking: false };
    this.participants.set(info.sid, participant);
    this.#emit("participantjoined", { participant });
  }

  #removeParticipant(sid) {
    const participant = this.participants.get(sid);
    if (!participant) return;
    this.participants.delete(sid);
    this.#emit("participantleft", { participant });
  }

  #trackPublished({ participantSid, cid, track }) {
    if (participantSid === this.self?.sid) {
      for (const local of this.localTracks.values()) if (local.track.id === cid) local.sid = track.sid;
      return;
    }
    const participant = this.participants.get(participantSid);
    if (!participant) return;
    participant.info.tracks = [...(participant.info.tracks ?? []).filter((t) => t.sid !== track.sid), track];
    this.#emit("participantupdated", { participant });
  }

  #trackUnpublished({ participantSid, trackSid }) {
    const participant = this.participants.get(participantSid);
    if (!participant) return;
    participant.info.tracks = (participant.info.tracks ?? []).filter((t) => t.sid !== trackSid);
    this.#emit("participantupdated", { participant });
  }

  #trackMuted({ participantSid, trackSid, muted }) {
    if (participantSid === this.self?.sid) {
      // The room's application muted (or unmuted) one of our tracks.
      for (const [kind, local] of this.localTracks) {
        if (local.sid !== trackSid) continue;
        local.track.enabled = !muted;
        this.#emit("selfmuted", { kind, muted });
      }
      return;
    }
    const participant = this.participants.get(participantSid);
    const track = participant?.info.tracks?.find((t) => t.sid === trackSid);
    if (!track) return;
    track.muted = muted;
    this.#emit("participantupdated", { participant });
  }

  /** The server stopped (or resumed) a video we receive on its own: bandwidth or an inactive publisher. */
  #subscriptionPaused({ trackSid, paused, reason }) {
    for (const participant of this.participants.values()) {
      if (!participant.info.tracks?.some((track) => track.sid === trackSid)) continue;
      participant.videoPaused = paused ? reason : null;
      this.#emit("participantupdated", { participant });
    }
  }

  #connectionQuality(updates) {
    for (const { participantSid, quality } of updates) {
      if (participantSid === this.self?.sid) {
        this.selfQuality = quality;
        this.#emit("selfquality", { quality });
        continue;
      }
      const participant = this.participants.get(participantSid);
      if (!participant) continue;
      participant.quality = quality;
      this.#emit("participantupdated", { participant });
    }
  }

  /** Dynacast: stop encoding the layers of our video that nobody receives, restart them when asked. */
  async #publicationLayers({ trackSid, layers }) {
    this.publishedLayers.set(trackSid, layers);
    const local = [...this.localTracks.values()].find((l) => l.sid === trackSid);
    const sender = local && this.publisher?.getSenders().find((s) => s.track === local.track);
    if (!sender) return;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    for (const encoding of parameters.encodings) {
      const wanted = layers.find((layer) => (layer.rid ?? null) === (encoding.rid ?? null));
      if (wanted) encoding.active = wanted.active;
    }
    try {
      await sender.setParameters(parameters);
    } catch (error) {
      console.warn("could not change the sent layers:", error.message);
    }
  }

  #activeSpeakers(speakers) {
    const speaking = new Set(speakers.map((s) => s.participantSid));
    for (const participant of this.participants.values()) participant.speaking = speaking.has(participant.info.sid);
    this.selfSpeaking = speaking.has(this.self?.sid);
    this.#emit("speakers", { speaking });
  }

  // MARK: Publisher connection

  async #publish() {
    // Without camera and microphone the connection still carries the data channels.
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
    this.publisher = pc;
    this.#watchConnection(pc, "publisher");
    pc.addEventListener("icecandidate", ({ candidate }) => this.#trickle("publisher", candidate));
    this.data = new DataLink(pc);
    for (const type of ["message", "file", "fileprogress", "notice"]) {
      this.data.addEventListener(type, ({ detail }) => this.#emit(type === "message" ? "chat" : type, detail));
    }
    const requests = [];
    this.localTracks.clear();
    for (const track of this.localStream?.getTracks() ?? []) {
      const video = track.kind === "video";
      pc.addTransceiver(track, {
        direction: "sendonly",
        streams: [this.localStream],
        sendEncodings: video ? VIDEO_LAYERS.map((layer) => ({ ...layer })) : undefined,
      });
      const settings = track.getSettings();
      requests.push({
        cid: track.id, kind: track.kind, source: video ? "camera" : "microphone", name: track.label,
        muted: !track.enabled,
        layers: video ? VIDEO_LAYERS.map((layer) => ({
          rid: layer.rid, maxBitrate: layer.maxBitrate,
          width: Math.round((settings.width ?? CAPTURE.width) / layer.scaleResolutionDownBy),
          height: Math.round((settings.height ?? CAPTURE.height) / layer.scaleResolutionDownBy),
        })) : [],
      });
      this.localTracks.set(track.kind, { track, sid: null });
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = await this.signaling.request("publish_offer", { sdp: offer.sdp, tracks: requests, unpublish: [] });
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  }

  /** After a resume: new ICE credentials on the publisher connection (the server restarts the subscriber's). */
  async #restartPublisherICE() {
    const pc = this.publisher;
    if (!pc) {
      await this.#publish();
      return;
    }
    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    const answer = await this.signaling.request("publish_offer", { sdp: offer.sdp, tracks: [], unpublish: [] });
    if (pc === this.publisher) await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  }

  /** The display name of a participant by identity (null: the server). */
  nameOf(identity) {
    if (identity === null || identity === undefined) return "server";
    if (identity === this.self?.identity) return this.self.name;
    for (const participant of this.participants.values()) {
      if (participant.info.identity === identity) return participant.info.name || identity;
    }
    return identity;
  }

  /** Mutes or unmutes the own microphone or camera; returns the new muted state. */
  setMuted(kind, muted) {
    const local = this.localTracks.get(kind);
    if (!local) return null;
    local.track.enabled = !muted;
    if (local.sid) this.signaling?.send("mute", { trackSid: local.sid, muted });
    return muted;
  }

  isMuted(kind) {
    const local = this.localTracks.get(kind);
    return local ? !local.track.enabled : true;
  }

  // MARK: Subscriber connection

  #makeSubscriber() {
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
    this.subscriberQueue = Promise.resolve();
    this.#watchConnection(pc, "subscriber");
    pc.addEventListener("icecandidate", ({ candidate }) => this.#trickle("subscriber", candidate));
    pc.addEventListener("track", ({ track, streams, transceiver }) => {
      // The server names each stream after the participant who publishes it.
      const sid = streams[0]?.id;
      this.midToParticipant.set(transceiver.mid, sid);
      const participant = this.participants.get(sid);
      if (!participant) return;
      participant.stream.addTrack(track);
      track.addEventListener("ended", () => participant.stream.removeTrack(track));
      this.#emit("participantupdated", { participant });
    });
    return pc;
  }

  #answerSubscriberOffer({ sdp, version }) {
    // Offers are answered one at a time, in the order they came.
    const pc = this.subscriber;
    this.subscriberQueue = this.subscriberQueue.then(async () => {
      if (!pc || pc !== this.subscriber) return;
      await pc.setRemoteDescription({ type: "offer", sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.signaling?.send("subscribe_answer", { sdp: answer.sdp, version });
    }).catch((error) => console.warn("subscriber negotiation failed:", error.message));
  }

  /** Tells the server how large a participant's video is shown (0×0: hidden), so it picks a layer. */
  setRenderedSize(participantSid, width, height) {
    const participant = this.participants.get(participantSid);
    const video = participant?.info.tracks?.find((t) => t.kind === "video");
    if (!video || !this.signaling) return;
    const visible = width > 0 && height > 0;
    const request = { trackSid: video.sid, subscribe: visible };
    if (visible) Object.assign(request, { width: Math.round(width * devicePixelRatio), height: Math.round(height * devicePixelRatio) });
    this.signaling.send("update_subscription", request);
  }

  /** Pins a participant's video: the server gives it the downlink first when it is short. */
  setPinned(participantSid, pinned) {
    const participant = this.participants.get(participantSid);
    const video = participant?.info.tracks?.find((t) => t.kind === "video");
    if (!video || !this.signaling) return;
    this.signaling.send("update_subscription", { trackSid: video.sid, subscribe: true, pinned });
  }

  // MARK: Helpers

  #trickle(target, candidate) {
    if (!candidate || !candidate.candidate) return;
    this.signaling?.send("trickle", { target, candidate: candidate.toJSON() });
  }

  #watchConnection(pc, label) {
    pc.addEventListener("connectionstatechange", () => {
      this.#emit("connection", { label, state: pc.connectionState });
      if (pc.connectionState === "failed" && pc === this[label]) {
        // ICE gave up (the network changed): reconnect and resume, which restarts ICE on both
        // connections. If the resume fails, the page joins afresh with new connections.
        this.signaling?.close();
      }
    });
  }

  #setState(state) {
    this.state = state;
    this.#emit("state", { state });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Receive statistics per remote participant (for the connection panel and for tests). */
  async receiveStats() {
    const result = {};
    for (const [sid, participant] of this.participants) {
      result[sid] = { name: participant.info.name, identity: participant.info.identity, quality: participant.quality ?? null,
                      framesDecoded: 0, audioBytesReceived: 0, frameWidth: 0, videoPaused: participant.videoPaused ?? null };
    }
    if (!this.subscriber) return result;
    const report = await this.subscriber.getStats();
    report.forEach((stat) => {
      if (stat.type !== "inbound-rtp") return;
      const sid = this.midToParticipant.get(stat.mid);
      const entry = result[sid];
      if (!entry) return;
      if (stat.kind === "video") {
        entry.framesDecoded += stat.framesDecoded ?? 0;
        entry.frameWidth = Math.max(entry.frameWidth, stat.frameWidth ?? 0);
      }
      if (stat.kind === "audio") entry.audioBytesReceived += stat.bytesReceived ?? 0;
    });
    return result;
  }
}
