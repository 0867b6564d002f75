"""The meeting page as a person opens it: served by `parley serve`, run by headless Chromium."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait

import pytest

pytestmark = pytest.mark.timeout(120)


def test_page_loads_and_its_modules_reach_the_api(parley_server, browser):
    browser.get(parley_server.url + "?room=standup&name=Ada")
    assert browser.title == "Parley"

    # main.js (an ES module importing api.js) fetched /v1/version and showed it.
    WebDriverWait(browser, 20).until(
        conditions.text_to_be_present_in_element((By.ID, "server-version"), "parley "))
    version = browser.find_element(By.ID, "server-version")
    assert version.get_attribute("data-ready") == "true"

    # The link's parameters fill the join form.
    assert browser.find_element(By.ID, "room").get_attribute("value") == "standup"
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Ada"

    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == [], severe


def test_unknown_api_path_gives_a_json_error(parley_server, browser):
    browser.get(parley_server.url)
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/v1/no-such-thing').then(async r => done({status: r.status, body: await r.json()}));
    """)
    assert result["status"] == 404
    assert result["body"]["error"]["code"] == "not_found"
