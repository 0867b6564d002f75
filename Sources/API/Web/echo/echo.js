// The echo test: publish camera and microphone to Parley and play what comes back.
// The server answers the offer over HTTP (POST /v1/echo) and sends every packet straight back.

const stateLabel = document.getElementById("echo-state");
const localVideo = document.getElementById("local-video");
const echoVideo = document.getElementById("echo-video");

function showState(text, isError = false) {
  stateLabel.textContent = text;
  stateLabel.classList.toggle("error", isError);
}

async function startEcho() {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  } catch (error) {
    showState(`camera or microphone unavailable: ${error.message}`, true);
    return;
  }
  localVideo.srcObject = stream;

  const pc = new RTCPeerConnection();
  window.parleyEcho = { pc }; // for tests and curious people: getStats() from the console
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: "sendrecv" });
  pc.ontrack = (event) => {
    echoVideo.srcObject = event.streams[0] ?? new MediaStream([event.track]);
  };
  pc.onconnectionstatechange = () => showState(`connection ${pc.connectionState}`, pc.connectionState === "failed");

  await pc.setLocalDescription(await pc.createOffer());
  // Parley is ICE-lite: it learns the browser's addresses from its checks, so the offer can go
  // before candidate gathering finishes.
  const response = await fetch("/v1/echo", {
    method: "POST",
    headers: { "Content-Type": "application/sdp" },
    body: pc.localDescription.sdp,
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    showState(`server refused the offer: ${body?.error?.message ?? response.status}`, true);
    return;
  }
  await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
}

startEcho().catch((error) => showState(`echo failed: ${error.message}`, true));
