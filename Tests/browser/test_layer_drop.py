"""A subscriber's downlink capped through the REST API drops to a lower simulcast layer and comes
back when the cap is lifted: Bob, a headless Chromium, watches Alice's camera (three layers, up to
640 px wide from the fake camera) and his decoder's frameWidth shows which layer reaches him."""
import time

import pytest

from test_meeting import admin_token, by_name, dev_server, rest, stats, wait_until  # noqa: F401 (fixture)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def two_browsers():
    from conftest import quit_all, start_chromiums

    drivers = start_chromiums(2, ["--autoplay-policy=no-user-gesture-required"])
    yield drivers
    quit_all(drivers)


def alice_as_bob_sees_her(bob):
    return by_name(stats(bob)).get("Alice") or {}


def test_a_capped_subscriber_drops_to_a_lower_layer_and_comes_back(dev_server, two_browsers):
    alice, bob = two_browsers
    alice.get(dev_server.url + "?room=layers&name=Alice")
    bob.get(dev_server.url + "?room=layers&name=Bob")
    identity = wait_until("Bob joined", lambda: (lambda i: (bool(i), i))(
        bob.execute_script("return window.parleyMeeting?.self?.identity ?? null")), 30)
    downlink = f"/v1/rooms/layers/participants/{identity}/downlink"
    token = admin_token("layers")

    # Alice's uplink estimate lets all three layers out, and Bob's downlink carries the top one.
    top = wait_until("Bob decoding Alice's top layer",
                     lambda: (lambda e: (e.get("frameWidth", 0) >= 640 and e.get("framesDecoded", 0) > 30, e))(
                         alice_as_bob_sees_her(bob)), 45)["frameWidth"]

    # 250 kbit/s fits Alice's audio and her 150 kbit/s layer, not the 500 kbit/s one.
    assert rest(dev_server, "PUT", downlink, token, {"maxBitrate": 250_000}) == (204, None)
    capped_at = time.monotonic()
    low = wait_until("Bob on a lower layer",
                     lambda: (lambda e: (0 < e.get("frameWidth", 0) < top, e))(alice_as_bob_sees_her(bob)), 10)
    print(f"capped: {top} px → {low['frameWidth']} px after {time.monotonic() - capped_at:.1f} s")
    # Still a moving picture on the low layer, not a paused one.
    time.sleep(2)
    later = alice_as_bob_sees_her(bob)
    assert later["framesDecoded"] >= low["framesDecoded"] + 20, (low, later)
    assert later["frameWidth"] < top and not later["videoPaused"], later

    # Cap lifted: back on the top layer.
    assert rest(dev_server, "PUT", downlink, token, {"maxBitrate": None}) == (204, None)
    lifted_at = time.monotonic()
    wait_until("Bob back on the top layer",
               lambda: (lambda e: (e.get("frameWidth", 0) >= top, e))(alice_as_bob_sees_her(bob)), 15)
    print(f"lifted: back to {top} px after {time.monotonic() - lifted_at:.1f} s")
