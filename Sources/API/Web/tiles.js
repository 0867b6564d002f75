// The grid of participant tiles: video, name, mute state, active-speaker highlight.

export class TileGrid {
  /**
   * `onResize(sid, width, height)` reports how large each remote video is shown; `onPin(sid,
   * pinned)` that a click pinned or unpinned a remote tile.
   */
  constructor(container, { onResize, onPin = () => {} }) {
    this.container = container;
    this.tiles = new Map();
    this.onResize = onResize;
    this.onPin = onPin;
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const sid = entry.target.closest(".tile")?.dataset.sid;
        if (sid && sid !== "self") this.onResize(sid, entry.contentRect.width, entry.contentRect.height);
      }
    });
  }

  /** The local preview (muted, mirrored). */
  showSelf(name, stream) {
    const tile = this.#tile("self", `${name} (you)`);
    tile.classList.add("self");
    const video = tile.querySelector("video");
    video.muted = true;
    if (stream) video.srcObject = stream;
  }

  upsert(participant) {
    const { info, stream, speaking } = participant;
    const tile = this.#tile(info.sid, info.name || info.identity);
    tile.dataset.identity = info.identity;
    const video = tile.querySelector("video");
    if (video.srcObject !== stream) video.srcObject = stream;
    const tracks = info.tracks ?? [];
    const audio = tracks.find((t) => t.kind === "audio");
    const camera = tracks.find((t) => t.kind === "video");
    tile.querySelector(".mic-state").textContent = !audio ? "no mic" : audio.muted ? "mic muted" : "";
    tile.querySelector(".camera-state").textContent = !camera ? "no camera" : camera.muted ? "camera off"
      : participant.videoPaused === "bandwidth" ? "video paused: not enough bandwidth"
      : participant.videoPaused ? "video paused" : "";
    tile.classList.toggle("speaking", Boolean(speaking));
    if (participant.quality) this.setQuality(info.sid, participant.quality);
  }

  /** The server's rating of a connection: excellent, good, poor or lost. */
  setQuality(sid, quality) {
    const tile = this.tiles.get(sid);
    if (!tile) return;
    tile.dataset.quality = quality;
    const label = tile.querySelector(".quality");
    label.textContent = quality === "excellent" ? "" : `${quality} connection`;
    label.title = `connection: ${quality}`;
  }

  setSpeaking(sid, speaking) {
    this.tiles.get(sid)?.classList.toggle("speaking", speaking);
  }

  remove(sid) {
    const tile = this.tiles.get(sid);
    if (!tile) return;
    this.observer.unobserve(tile.querySelector("video"));
    tile.remove();
    this.tiles.delete(sid);
  }

  clear() {
    for (const sid of [...this.tiles.keys()]) this.remove(sid);
  }

  #tile(sid, label) {
    let tile = this.tiles.get(sid);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "tile";
      tile.dataset.sid = sid;
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      const caption = document.createElement("figcaption");
      caption.innerHTML = '<span class="name"></span> <span class="mic-state"></span> <span class="camera-state"></span> <span class="quality"></span>';
      tile.append(video, caption);
      if (sid !== "self") {
        tile.title = "Click to pin (bigger, and first for bandwidth)";
        tile.addEventListener("click", () => this.onPin(sid, tile.classList.toggle("pinned")));
      }
      this.container.append(tile);
      this.tiles.set(sid, tile);
      this.observer.observe(video);
    }
    tile.querySelector(".name").textContent = label;
    return tile;
  }
}
