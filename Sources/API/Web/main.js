// The meeting page's entry module. No build step: plain ES modules served as they are.
import { fetchServerVersion } from "./api.js";

const versionLabel = document.getElementById("server-version");
const joinForm = document.getElementById("join-form");
const joinStatus = document.getElementById("join-status");

const params = new URLSearchParams(location.search);
document.getElementById("room").value = params.get("room") ?? "";
document.getElementById("name").value = params.get("name") ?? "";

try {
  const info = await fetchServerVersion();
  versionLabel.textContent = `${info.name} ${info.version}`;
  versionLabel.dataset.ready = "true";
} catch (error) {
  versionLabel.textContent = `server unreachable: ${error.message}`;
  versionLabel.classList.add("error");
}

joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  // Joining needs the signaling service, which this server version does not have yet.
  joinStatus.textContent = "This server does not host meetings yet.";
});
