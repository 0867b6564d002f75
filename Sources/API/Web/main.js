// The meeting page's entry module. No build step: plain ES modules served as they are.
//
// `/?room=R&name=N` on a `parley serve --dev` server joins at once (the page asks the server for
// a token); `/?room=R&token=JWT` joins with a token from the embedding application.
import { fetchDevToken, fetchServerVersion } from "./api.js";
import { Meeting } from "./meeting.js";
import { TileGrid } from "./tiles.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$("room").value = params.get("room") ?? "";
$("name").value = params.get("name") ?? "";

let server = null;
try {
  server = await fetchServerVersion();
  $("server-version").textContent = `${server.name} ${server.version}`;
  $("server-version").dataset.ready = "true";
} catch (error) {
  $("server-version").textContent = `server unreachable: ${error.message}`;
  $("server-version").classList.add("error");
}

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  join($("room").value.trim(), $("name").value.trim(), params.get("token"));
});

if (params.get("token")) {
  join(params.get("room") ?? "", params.get("name") ?? "", params.get("token"));
} else if (server?.devMode && params.get("room") && params.get("name")) {
  join(params.get("room"), params.get("name"), null);
}

async function join(room, name, token) {
  const status = $("join-status");
  if (!token) {
    if (!server?.devMode) {
      status.textContent = "Joining needs a link with a token from the application that hosts this meeting.";
      return;
    }
    try {
      token = (await fetchDevToken(room, name)).token;
    } catch (error) {
      status.textContent = `Cannot join: ${error.message}`;
      return;
    }
  }
  $("join-form").hidden = true;
  $("meeting").hidden = false;
  $("room-label").textContent = room;

  const meeting = new Meeting(token);
  window.parleyMeeting = meeting; // for the browser tests and the console
  const grid = new TileGrid($("tiles"), {
    onResize: (sid, width, height) => meeting.setRenderedSize(sid, width, height),
    onPin: (sid, pinned) => meeting.setPinned(sid, pinned),
  });
  const refresh = ({ detail }) => grid.upsert(detail.participant);
  meeting.addEventListener("joined", ({ detail }) => grid.showSelf(detail.self.name, meeting.localStream));
  meeting.addEventListener("participantjoined", refresh);
  meeting.addEventListener("participantupdated", refresh);
  meeting.addEventListener("participantleft", ({ detail }) => grid.remove(detail.participant.info.sid));
  meeting.addEventListener("speakers", ({ detail }) => {
    for (const participant of meeting.participants.values()) grid.setSpeaking(participant.info.sid, participant.speaking);
    grid.setSpeaking("self", detail.speaking.has(meeting.self?.sid));
  });
  meeting.addEventListener("selfquality", ({ detail }) => grid.setQuality("self", detail.quality));
  meeting.addEventListener("mediaerror", ({ detail }) => {
    $("media-error").textContent = detail.message;
    $("media-error").hidden = false;
  });
  meeting.addEventListener("state", ({ detail }) => {
    $("connection-state").textContent = detail.state;
    $("connection-state").dataset.state = detail.state;
    // Reconnecting keeps the tiles: a resume keeps the participants and their media.
  });
  meeting.addEventListener("removed", ({ detail }) => {
    const reasons = {
      kicked: "You were removed from the meeting.",
      room_deleted: "The meeting was ended.",
      server_shutdown: "The server is restarting.",
      duplicate_identity: "You joined from somewhere else.",
    };
    finish(reasons[detail.reason] ?? `The meeting ended (${detail.reason}).`, grid);
  });

  // Server messages that came over signaling (this page had no data channel up yet).
  meeting.addEventListener("data", ({ detail }) => {
    showMessage("server", detail.topic && detail.topic !== "chat" ? `[${detail.topic}] ${detail.payload}` : detail.payload);
  });
  meeting.addEventListener("chat", ({ detail }) => {
    const text = detail.topic && detail.topic !== "chat" ? `[${detail.topic}] ${detail.text}` : detail.text;
    showMessage(meeting.nameOf(detail.from), text);
  });
  meeting.addEventListener("file", ({ detail }) => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(detail.blob);
    link.download = detail.name;
    link.className = "received-file";
    link.dataset.size = String(detail.size);
    link.textContent = `${detail.name} (${formatSize(detail.size)})`;
    showMessage(meeting.nameOf(detail.from), link);
  });
  meeting.addEventListener("fileprogress", ({ detail }) => {
    $("file-status").textContent = detail.sent < detail.size
      ? `Sending ${detail.name}: ${Math.floor((100 * detail.sent) / detail.size)} %` : `Sent ${detail.name}`;
  });
  meeting.addEventListener("notice", ({ detail }) => {
    $("file-status").textContent = `Not delivered${detail.to ? ` to ${meeting.nameOf(detail.to)}` : ""}: ${detail.message}`;
  });
  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("chat-input").value.trim();
    if (!text || !meeting.data?.ready) return;
    meeting.data.sendChat(text);
    showMessage(meeting.self?.name ?? "me", text, true);
    $("chat-input").value = "";
  });
  $("file-input").addEventListener("change", async () => {
    const file = $("file-input").files[0];
    $("file-input").value = "";
    if (!file || !meeting.data) return;
    try {
      await meeting.data.sendFile(file);
    } catch (error) {
      $("file-status").textContent = `Cannot send ${file.name}: ${error.message}`;
    }
  });
  const labels = { audio: ["Mute mic", "Unmute mic"], video: ["Stop camera", "Start camera"] };
  meeting.addEventListener("selfmuted", ({ detail }) => {
    $(detail.kind === "audio" ? "toggle-mic" : "toggle-camera").textContent = labels[detail.kind][detail.muted ? 1 : 0];
  });
  $("toggle-mic").onclick = () => {
    const muted = meeting.setMuted("audio", !meeting.isMuted("audio"));
    $("toggle-mic").textContent = muted ? "Unmute mic" : "Mute mic";
  };
  $("toggle-camera").onclick = () => {
    const muted = meeting.setMuted("video", !meeting.isMuted("video"));
    $("toggle-camera").textContent = muted ? "Start camera" : "Stop camera";
  };
  $("leave").onclick = async () => {
    await meeting.leave();
    finish("You left the meeting.", grid);
  };
  await meeting.start();
}

/** Adds a line to the chat panel: who, then text or an element (a file link). */
function showMessage(sender, content, own = false) {
  const item = document.createElement("li");
  if (own) item.className = "own";
  const name = document.createElement("strong");
  name.className = "sender";
  name.textContent = sender;
  const body = document.createElement("span");
  body.className = "body";
  body.append(content);
  item.append(name, ": ", body);
  $("messages").append(item);
  $("messages").scrollTop = $("messages").scrollHeight;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function finish(message, grid) {
  grid.clear();
  window.parleyMeeting?.localStream?.getTracks().forEach((track) => track.stop());
  $("meeting").hidden = true;
  $("goodbye").textContent = message;
  $("goodbye").hidden = false;
}
