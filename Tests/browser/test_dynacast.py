"""Dynacast through the meeting page: a headless Chromium publisher alone in a room is told that
nobody receives its video and stops encoding every simulcast layer; when a second participant
subscribes, the layers come back on and the video reaches it."""
import time

import pytest

from test_meeting import by_name, dev_server, stats, wait_until  # noqa: F401 (fixture)

pytestmark = pytest.mark.timeout(180)

# What the page was last told about its camera, and what its sender does with it.
SENT_LAYERS = """
const done = arguments[arguments.length - 1];
const meeting = window.parleyMeeting;
const camera = meeting?.localTracks.get("video");
const sender = camera && meeting.publisher?.getSenders().find((s) => s.track === camera.track);
if (!camera?.sid || !sender) { done(null); return; }
sender.getStats().then((report) => {
  const bytes = {};
  report.forEach((s) => { if (s.type === "outbound-rtp") bytes[s.rid] = s.bytesSent; });
  done({
    told: (meeting.publishedLayers.get(camera.sid) ?? []).map((l) => [l.rid, l.active]),
    active: sender.getParameters().encodings.map((e) => [e.rid, e.active]),
    bytes,
  });
}, () => done(null));
"""


@pytest.fixture
def two_browsers():
    from conftest import quit_all, start_chromiums

    drivers = start_chromiums(2)
    yield drivers
    quit_all(drivers)


def test_a_publisher_nobody_watches_stops_encoding_until_someone_subscribes(dev_server, two_browsers):
    alice, bob = two_browsers
    alice.get(dev_server.url + "?room=dynacast&name=Alice")

    # Alone: the server says no layer is wanted (3 s after publishing), the page turns every
    # encoding off, and Chromium stops sending them.
    everything_off = [["q", False], ["h", False], ["f", False]]
    wait_until("Alice told that nobody receives her camera",
               lambda: (lambda s: (s is not None and s["told"] == everything_off and s["active"] == everything_off, s))(
                   alice.execute_async_script(SENT_LAYERS)), 30)
    time.sleep(1)  # what was in flight is out
    before = alice.execute_async_script(SENT_LAYERS)["bytes"]
    time.sleep(2)
    after = alice.execute_async_script(SENT_LAYERS)["bytes"]
    assert after == before, f"no video bytes go out while nobody watches: {before} → {after}"

    # Bob subscribes: the layers are wanted again at once, and her video reaches him.
    bob.get(dev_server.url + "?room=dynacast&name=Bob")
    state = wait_until("Alice's encodings on again",
                       lambda: (lambda s: (s is not None and ["q", True] in s["told"] and ["q", True] in s["active"], s))(
                           alice.execute_async_script(SENT_LAYERS)), 30)
    assert state["told"] == state["active"], state
    wait_until("Bob decoding Alice's video",
               lambda: (lambda e: (bool(e) and e.get("framesDecoded", 0) > 10, e))(by_name(stats(bob)).get("Alice")), 30)
