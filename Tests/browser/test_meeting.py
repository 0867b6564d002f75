"""A meeting through the meeting page itself: three headless Chromium participants join one
room on a `parley serve --dev` server, see and hear each other, one leaves, one is kicked over
the REST API."""
import base64
import hashlib
import hmac
import json
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import ParleyServer

pytestmark = pytest.mark.timeout(240)

API_KEY = "browser-test-key"
API_SECRET = "browser-test-secret-that-is-long-enough-for-hs256"

RECEIVE_STATS = """
const done = arguments[arguments.length - 1];
if (!window.parleyMeeting) { done(null); return; }
window.parleyMeeting.receiveStats().then(done, () => done(null));
"""


@pytest.fixture
def dev_server():
    server = ParleyServer(extra_args=("--dev", "--api-key", API_KEY, "--api-secret", API_SECRET))
    yield server
    server.stop()


@pytest.fixture
def browsers(request):
    from conftest import quit_all, start_chromiums

    # 15 fps: three Chromiums each encoding three simulcast layers and decoding two videos keep
    # both cores of this machine 99 % busy at 30 fps (65 % at 15), and a starved encoder drops
    # to its lowest layer and a few frames a second, which is not what this test is about.
    drivers = start_chromiums(3, ["--autoplay-policy=no-user-gesture-required"], fps=15)
    yield drivers
    quit_all(drivers)


def admin_token(room):
    """An HS256 JWT with the roomAdmin grant, signed with the server's API secret."""
    def segment(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")
    now = int(time.time())
    claims = {"iss": API_KEY, "sub": "test-admin", "nbf": now - 5, "exp": now + 600,
              "video": {"roomAdmin": True, "room": room, "roomCreate": True, "roomList": True}}
    signing_input = segment({"alg": "HS256", "typ": "JWT"}) + b"." + segment(claims)
    signature = hmac.new(API_SECRET.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def rest(server, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(server.url.rstrip("/") + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


ICE_STATE = """
const meeting = window.parleyMeeting;
const ufrag = (pc) => pc?.remoteDescription?.sdp.match(/a=ice-ufrag:(\\S+)/)?.[1] ?? null;
return { state: meeting.state, sid: meeting.self?.sid ?? null,
         publisherUfrag: ufrag(meeting.publisher), subscriberUfrag: ufrag(meeting.subscriber) };
"""


DATA_READY = "return Boolean(window.parleyMeeting && window.parleyMeeting.data && window.parleyMeeting.data.ready);"

# 1 MiB of bytes that are not all alike, sent with the page's own file transfer.
SEND_FILE = """
const done = arguments[arguments.length - 1];
(async () => {
  const bytes = new Uint8Array(1 << 20);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) { x = (x * 1103515245 + 12345) >>> 0; bytes[i] = x >>> 24; }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const file = new File([bytes], "parley-test.bin", { type: "application/octet-stream" });
  await window.parleyMeeting.data.sendFile(file);
  done({ size: file.size, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") });
})().catch((error) => done({ error: String(error) }));
"""

# The download link the page made for a received file: its name, size and the SHA-256 of its bytes.
RECEIVED_FILE = """
const done = arguments[arguments.length - 1];
const link = document.querySelector("a.received-file");
if (!link) { done(null); return; }
fetch(link.href).then((r) => r.arrayBuffer()).then(async (buffer) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  done({ name: link.download, size: buffer.byteLength, shownSize: Number(link.dataset.size),
         sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") });
}, (error) => done({ error: String(error) }));
"""


def stats(browser):
    return browser.execute_async_script(RECEIVE_STATS) or {}


PUBLISH_STATS = """
const done = arguments[arguments.length - 1];
const publisher = window.parleyMeeting?.publisher;
if (!publisher) { done(null); return; }
publisher.getStats().then((report) => {
  const result = {};
  report.forEach((stat) => {
    if (stat.type === "candidate-pair" && stat.nominated) result.availableOutgoingBitrate = stat.availableOutgoingBitrate;
    if (stat.type === "outbound-rtp" && stat.kind === "video")
      result[stat.rid ?? "video"] = [stat.frameWidth, stat.framesEncoded, stat.qualityLimitationReason];
  });
  done(result);
}, () => done(null));
"""


def flow_report(browsers, names, before, after):
    """For a failed "media keeps flowing" check: what each page received before and after (frames,
    width, paused reason) and what each publisher sent (per layer: width, frames, limitation)."""
    def received(snapshot):
        return {n: (e["framesDecoded"], e["frameWidth"], e["videoPaused"]) for n, e in snapshot.items()}
    return "\n".join(f"{name}: received {received(b)} -> {received(a)}; "
                     f"sent {browser.execute_async_script(PUBLISH_STATS)}"
                     for browser, name, b, a in zip(browsers, names, before, after))


def assert_everyone_keeps_decoding(browsers, names, before, minimum_new_frames=15):
    after = [by_name(stats(browser)) for browser in browsers]
    stalled = [(name, other) for name, b, a in zip(names, before, after) for other in names
               if other != name and a[other]["framesDecoded"] <= b[other]["framesDecoded"] + minimum_new_frames]
    assert not stalled, f"stalled {stalled}\n" + flow_report(browsers, names, before, after)
    return after


def by_name(snapshot):
    return {entry["name"]: entry for entry in snapshot.values()}


def wait_until(description, condition, timeout):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        ok, last = condition()
        if ok:
            return last
        time.sleep(0.5)
    raise AssertionError(f"{description} not within {timeout} s; last: {last}")


def tile_names(browser):
    # Read in one script run: a tile removed between finding it and reading it would be stale.
    identities = browser.execute_script(
        "return [...document.querySelectorAll('.tile[data-identity]')].map(tile => tile.dataset.identity);")
    return sorted(identity.rsplit("-", 1)[0] for identity in identities)


def test_three_participants_see_and_hear_each_other_then_one_leaves_and_one_is_kicked(dev_server, browsers):
    names = ["Alice", "Bob", "Carol"]
    for browser, name in zip(browsers, names):
        browser.get(dev_server.url + f"?room=standup&name={name}")

    def everyone_decodes_everyone():
        snapshots = [by_name(stats(browser)) for browser in browsers]
        for browser_name, snapshot in zip(names, snapshots):
            others = [n for n in names if n != browser_name]
            if sorted(snapshot) != sorted(others):
                return False, snapshots
            if any(snapshot[n]["framesDecoded"] == 0 or snapshot[n]["audioBytesReceived"] == 0 for n in others):
                return False, snapshots
        return True, snapshots

    first = wait_until("every participant decoding the other two", everyone_decodes_everyone, timeout=90)

    # Media keeps flowing: frames keep being decoded and audio bytes keep arriving.
    time.sleep(3)
    later = assert_everyone_keeps_decoding(browsers, names, first)
    for browser_name, before, after in zip(names, first, later):
        for other in (n for n in names if n != browser_name):
            assert after[other]["audioBytesReceived"] > before[other]["audioBytesReceived"], (browser_name, other)
    for browser, browser_name in zip(browsers, names):
        assert tile_names(browser) == sorted(n for n in names if n != browser_name)

    # The server rates everyone's connection (every 2 s); on loopback nobody loses packets.
    def everyone_rated():
        snapshots = [by_name(stats(browser)) for browser in browsers]
        ratings = [{n: entry["quality"] for n, entry in snapshot.items()} for snapshot in snapshots]
        return all(len(r) == 2 and all(q in ("excellent", "good") for q in r.values()) for r in ratings), ratings
    wait_until("connection quality shown for every participant", everyone_rated, 20)

    # Chat over data channels: typed in Alice's page, shown in the two others with her name.
    alice = browsers[0]
    wait_until("Alice's data channel open", lambda: (alice.execute_script(DATA_READY), None), 20)
    alice.find_element(By.ID, "chat-input").send_keys("hello from alice")
    alice.find_element(By.ID, "chat-form").submit()
    for browser in browsers[1:]:
        wait_until("Alice's chat message shown",
                   lambda: ("Alice: hello from alice" in browser.find_element(By.ID, "messages").text,
                            browser.find_element(By.ID, "messages").text), 15)

    # A 1 MiB file from Carol's page reaches Alice's intact: same name, size and SHA-256.
    sent = browsers[2].execute_async_script(SEND_FILE)
    assert sent.get("error") is None and sent["size"] == 1 << 20, sent
    received = wait_until("the file offered for download in Alice's page",
                          lambda: (lambda r: (r is not None, r))(alice.execute_async_script(RECEIVED_FILE)), 60)
    assert received["name"] == "parley-test.bin" and received["size"] == 1 << 20, received
    assert received["sha256"] == sent["sha256"], (sent, received)

    # Bob's signaling socket drops. His page resumes as the same participant and restarts ICE
    # on both connections; nobody sees him leave and media keeps flowing both ways.
    bob = browsers[1]
    before_drop = bob.execute_script(ICE_STATE)
    bob.execute_script("window.parleyMeeting.signaling.socket.close();")

    def bob_resumed():
        now = bob.execute_script(ICE_STATE)
        restarted = (now["state"] == "connected" and now["sid"] == before_drop["sid"]
                     and now["publisherUfrag"] not in (None, before_drop["publisherUfrag"])
                     and now["subscriberUfrag"] not in (None, before_drop["subscriberUfrag"]))
        return restarted, now
    wait_until("Bob resumed with new ICE credentials on both connections", bob_resumed, 30)
    for browser, browser_name in zip(browsers, names):
        assert tile_names(browser) == sorted(n for n in names if n != browser_name), browser_name
    resumed = [by_name(stats(browser)) for browser in browsers]
    time.sleep(4)
    assert_everyone_keeps_decoding(browsers, names, resumed)
    # The store agrees: one session each, nobody left (a fresh rejoin would leave a left row).
    status, body = rest(dev_server, "GET", "/v1/rooms/standup/participants?includeLeft=true", admin_token("standup"))
    assert status == 200 and sorted(p["name"] for p in body["participants"]) == names, body

    # Carol leaves with the page's Leave button: the others' tiles for her go away.
    carol = browsers[2]
    carol.find_element(By.ID, "leave").click()
    for browser in browsers[:2]:
        wait_until("Carol's tile removed", lambda: ("Carol" not in tile_names(browser), tile_names(browser)), 20)
    assert "left" in carol.find_element(By.ID, "goodbye").text

    # The server's record: Carol left, Alice and Bob are there.
    token = admin_token("standup")
    status, body = rest(dev_server, "GET", "/v1/rooms/standup/participants", token)
    assert status == 200, body
    present = sorted(p["name"] for p in body["participants"])
    assert present == ["Alice", "Bob"], body

    # The application's message reaches both pages, over their data channels.
    status, body = rest(dev_server, "POST", "/v1/rooms/standup/data", token,
                        {"topic": "chat", "payload": "lunch is served"})
    assert status == 200 and body["delivered"] == 2, body
    for browser in browsers[:2]:
        wait_until("the application's message shown",
                   lambda: ("lunch is served" in browser.find_element(By.ID, "messages").text,
                            browser.find_element(By.ID, "messages").text), 10)
    status, body = rest(dev_server, "GET", "/v1/rooms/standup/participants", token)

    # A REST kick removes Bob from his page; Alice's tile for him goes.
    bob_identity = next(p["identity"] for p in body["participants"] if p["name"] == "Bob")
    status, body = rest(dev_server, "DELETE", f"/v1/rooms/standup/participants/{bob_identity}", token)
    assert status == 204, body
    bob = browsers[1]
    wait_until("Bob's page saying he was removed",
               lambda: ("removed" in bob.find_element(By.ID, "goodbye").text, bob.find_element(By.ID, "goodbye").text), 20)
    wait_until("Bob's tile removed", lambda: ("Bob" not in tile_names(browsers[0]), tile_names(browsers[0])), 20)

    # Kicking someone who is not there is a JSON 404.
    status, body = rest(dev_server, "DELETE", f"/v1/rooms/standup/participants/{bob_identity}", token)
    assert status == 404 and body["error"]["code"] == "not_found", body
