"""The echo test page: a real Chromium publishes its fake camera and microphone through
Parley's ICE-lite, DTLS and SRTP, and decodes what the server sends back."""
import time

import pytest

pytestmark = pytest.mark.timeout(120)

INBOUND_STATS = """
const done = arguments[arguments.length - 1];
if (!window.parleyEcho) { done(null); return; }
window.parleyEcho.pc.getStats().then(report => {
  const result = {connection: window.parleyEcho.pc.connectionState};
  report.forEach(stat => {
    if (stat.type === 'inbound-rtp') {
      result[stat.kind] = {framesDecoded: stat.framesDecoded ?? 0, bytesReceived: stat.bytesReceived ?? 0,
                           frameWidth: stat.frameWidth ?? 0};
    }
  });
  done(result);
});
"""


def inbound(browser):
    return browser.execute_async_script(INBOUND_STATS)


def wait_for(browser, condition, timeout):
    deadline = time.monotonic() + timeout
    stats = None
    while time.monotonic() < deadline:
        stats = inbound(browser)
        if stats and condition(stats):
            return stats
        time.sleep(0.5)
    raise AssertionError(f"condition not met within {timeout} s; last stats: {stats}")


def test_echoed_video_is_decoded_and_audio_arrives(parley_server, browser):
    browser.get(parley_server.url + "echo/")
    first = wait_for(browser, lambda s: s.get("video", {}).get("framesDecoded", 0) > 0, timeout=30)
    assert first["connection"] == "connected"

    # Frames keep coming: the echo is a live stream, not a single key frame.
    time.sleep(2)
    later = inbound(browser)
    assert later["video"]["framesDecoded"] > first["video"]["framesDecoded"] + 20, (first, later)
    assert later["video"]["frameWidth"] > 0
    assert later["audio"]["bytesReceived"] > first["audio"]["bytesReceived"], (first, later)

    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == [], severe
