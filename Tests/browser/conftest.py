"""Fixtures for browser tests: a real `parley serve` on loopback and a real headless Chromium.

Every process started here is stopped here, and everything talks to 127.0.0.1 only.
"""
import os
import re
import shutil
import subprocess
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download anything

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LISTENING = re.compile(r"listening on (http://[^ /]+/)")


class ParleyServer:
    """`parley serve` in a temporary data directory, on a free loopback port."""

    def __init__(self, extra_args=()):
        binary = os.environ.get("PARLEY_BIN", ".build/debug/parley")
        self.data_dir = tempfile.mkdtemp(prefix="parley-browser-")
        self.process = subprocess.Popen(
            [binary, "serve", "--http-host", "127.0.0.1", "--http-port", "0",
             "--data-dir", self.data_dir, "--rtc-port", "0", "--announce", "127.0.0.1",
             *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        self.url = self._wait_for_url(timeout=30)
        # Keep draining output so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _wait_for_url(self, timeout):
        timer = threading.Timer(timeout, self.process.kill)
        timer.start()
        try:
            for line in self.process.stdout:
                self.output.append(line)
                match = LISTENING.search(line)
                if match:
                    return match.group(1)
        finally:
            timer.cancel()
        raise RuntimeError("parley did not start:\n" + "".join(self.output))

    def _drain(self):
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture
def parley_server():
    server = ParleyServer()
    yield server
    server.stop()


def chromium_options(fps=30):
    """The flags TESTING.md says a WebRTC test needs here; `fps` is the fake camera's rate."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 f"--use-fake-device-for-media-stream=fps={fps}", "--use-fake-ui-for-media-stream",
                 "--allow-loopback-in-peer-connection",
                 "--disable-features=WebRtcHideLocalIpsWithMdns",
                 "--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def start_chromiums(count, extra_arguments=(), fps=30):
    """`count` headless Chromium drivers; the caller quits them (`quit_all`), also on failure."""
    drivers = []
    try:
        for _ in range(count):
            options = chromium_options(fps)
            for argument in extra_arguments:
                options.add_argument(argument)
            driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
            driver.set_page_load_timeout(30)
            drivers.append(driver)
    except BaseException:
        quit_all(drivers)
        raise
    return drivers


def quit_all(drivers):
    for driver in drivers:
        driver.quit()


@pytest.fixture
def browser():
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=chromium_options())
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
