// The signaling WebSocket (docs/signaling.md): versioned JSON envelopes {v, type, id, data}.

const PROTOCOL_VERSION = 1;

export class SignalingClient {
  /** `onMessage(type, data)` gets every server message; `onClose(event)` once, when the socket ends. */
  constructor(token, { onMessage, onClose }) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.socket = new WebSocket(`${scheme}//${location.host}/v1/rtc?access_token=${encodeURIComponent(token)}`);
    this.nextID = 1;
    this.pending = new Map();
    this.socket.addEventListener("message", (event) => this.#receive(event.data));
    this.socket.addEventListener("close", (event) => {
      for (const { reject } of this.pending.values()) reject(new Error("signaling closed"));
      this.pending.clear();
      onClose(event);
    });
    this.onMessage = onMessage;
    this.opened = new Promise((resolve, reject) => {
      this.socket.addEventListener("open", resolve, { once: true });
      this.socket.addEventListener("close", () => reject(new Error("could not reach the signaling server")), { once: true });
    });
  }

  /** Sends a message that expects no reply. */
  send(type, data = {}) {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type, data }));
  }

  /** Sends a request; resolves with the reply's data (same id), rejects on an `error` reply. */
  request(type, data = {}) {
    const id = this.nextID++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type, id, data }));
    });
  }

  close() {
    this.socket.close(1000);
  }

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const waiting = message.id !== undefined ? this.pending.get(message.id) : undefined;
    const requestID = message.type === "error" ? message.data?.requestId : message.id;
    const errorWaiter = requestID !== undefined ? this.pending.get(requestID) : undefined;
    if (message.type === "error" && errorWaiter) {
      this.pending.delete(requestID);
      errorWaiter.reject(Object.assign(new Error(message.data.message), { code: message.data.code }));
      return;
    }
    if (waiting) {
      this.pending.delete(message.id);
      waiting.resolve(message.data);
    }
    this.onMessage(message.type, message.data ?? {});
  }
}
