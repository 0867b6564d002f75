// Data channels on the publisher connection, relayed by the server to the other participants.
//
// Every message is a JSON header line, then the payload (docs/data-channels.md):
//   sent:      {"to":["bob"],"topic":"t"}\n<payload>   (no "to": everyone)
//   received:  {"from":"alice","topic":"t"}\n<payload> ("from": null is the server)
//   notices:   {"error":{"code":"…","message":"…","to":"bob"}}\n
// Channels: "chat" (reliable, ordered) for messages, "file" (reliable, ordered) for transfers,
// "lossy" (unordered, no retransmissions) for data where late is useless.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const FILE_CHUNK_BYTES = 16 * 1024;
const BUFFER_HIGH = 1024 * 1024;
const BUFFER_LOW = 256 * 1024;

/** Splits a received message into its header and payload (a string or a Uint8Array). */
export function parseEnvelope(data) {
  if (typeof data === "string") {
    const newline = data.indexOf("\n");
    if (newline < 0) return null;
    return { header: JSON.parse(data.slice(0, newline)), payload: data.slice(newline + 1) };
  }
  const bytes = new Uint8Array(data);
  const newline = bytes.indexOf(10);
  if (newline < 0) return null;
  return { header: JSON.parse(decoder.decode(bytes.subarray(0, newline))), payload: bytes.subarray(newline + 1) };
}

function envelope(header, payload) {
  const line = JSON.stringify(header) + "\n";
  if (typeof payload === "string") return line + payload;
  const head = encoder.encode(line);
  const message = new Uint8Array(head.length + payload.byteLength);
  message.set(head, 0);
  message.set(payload, head.length);
  return message;
}

export class DataLink extends EventTarget {
  /** Opens the page's channels on `pc` (before its first offer, so the offer carries SCTP). */
  constructor(pc) {
    super();
    this.channels = new Map();
    this.incomingFiles = new Map(); // `${from}/${id}` → { name, size, type, parts, received }
    this.#adopt(pc.createDataChannel("chat", { ordered: true }));
    this.#adopt(pc.createDataChannel("file", { ordered: true }));
    this.#adopt(pc.createDataChannel("lossy", { ordered: false, maxRetransmits: 0 }));
    // Channels the server opens (a label this page did not open itself).
    pc.addEventListener("datachannel", ({ channel }) => this.#adopt(channel));
  }

  #adopt(channel) {
    channel.binaryType = "arraybuffer";
    if (!this.channels.has(channel.label)) this.channels.set(channel.label, channel);
    channel.addEventListener("message", ({ data }) => this.#receive(channel.label, data));
  }

  get ready() { return this.channels.get("chat")?.readyState === "open"; }

  /** A chat message to everyone (or to the given identities). */
  sendChat(text, to) {
    this.#send("chat", { ...(to ? { to } : {}), topic: "chat" }, text);
  }

  /** Sends a file in chunks, waiting whenever the channel's buffer is full. */
  async sendFile(file, to) {
    const channel = this.channels.get("file");
    if (!channel || channel.readyState !== "open") throw new Error("the file channel is not open");
    channel.bufferedAmountLowThreshold = BUFFER_LOW;
    const id = crypto.randomUUID();
    const address = to ? { to } : {};
    this.#send("file", { ...address, topic: "file-start" },
               JSON.stringify({ id, name: file.name, size: file.size, type: file.type }));
    for (let offset = 0; offset < file.size; offset += FILE_CHUNK_BYTES) {
      if (channel.bufferedAmount > BUFFER_HIGH) {
        await new Promise((resolve) => channel.addEventListener("bufferedamountlow", resolve, { once: true }));
      }
      const chunk = new Uint8Array(await file.slice(offset, offset + FILE_CHUNK_BYTES).arrayBuffer());
      this.#send("file", { ...address, topic: `file-chunk:${id}` }, chunk);
      this.#emit("fileprogress", { id, name: file.name, sent: Math.min(file.size, offset + FILE_CHUNK_BYTES), size: file.size });
    }
    this.#send("file", { ...address, topic: "file-end" }, JSON.stringify({ id }));
    return id;
  }

  #send(label, header, payload) {
    const channel = this.channels.get(label);
    if (!channel || channel.readyState !== "open") throw new Error(`the ${label} channel is not open`);
    channel.send(envelope(header, payload));
  }

  #receive(label, data) {
    let message;
    try {
      message = parseEnvelope(data);
    } catch {
      message = null;
    }
    if (!message) return;
    const { header, payload } = message;
    if (header.error) {
      this.#emit("notice", header.error);
      return;
    }
    const from = header.from ?? null;
    const topic = header.topic ?? null;
    if (label === "file") {
      this.#receiveFilePart(from, topic ?? "", payload);
      return;
    }
    const text = typeof payload === "string" ? payload : decoder.decode(payload);
    this.#emit("message", { from, topic, text, label });
  }

  #receiveFilePart(from, topic, payload) {
    if (topic === "file-start") {
      const { id, name, size, type } = JSON.parse(payload);
      this.incomingFiles.set(`${from}/${id}`, { id, name, size, type, parts: [], received: 0 });
    } else if (topic.startsWith("file-chunk:")) {
      const file = this.incomingFiles.get(`${from}/${topic.slice("file-chunk:".length)}`);
      if (!file) return;
      file.parts.push(payload.slice());
      file.received += payload.byteLength;
    } else if (topic === "file-end") {
      const { id } = JSON.parse(payload);
      const file = this.incomingFiles.get(`${from}/${id}`);
      this.incomingFiles.delete(`${from}/${id}`);
      if (!file) return;
      const blob = new Blob(file.parts, { type: file.type || "application/octet-stream" });
      this.#emit("file", { from, id, name: file.name, size: blob.size, complete: blob.size === file.size, blob });
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
