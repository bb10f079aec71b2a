"""The explorer in a real browser (headless chromium) against a live server on the seeded database,
on SQLite and PostgreSQL. Each step saves a screenshot into the test's tmp_path; the assertions
are on the DOM, never on pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import Engine

from app.api.app import create_app
from tests.web.browser import DESKTOP, PHONE, chromium, live_server

LETTER_1024 = "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函"
LETTER_0883 = "重庆市科学技术局关于市政协六届三次会议第0883号提案答复的函"


@pytest.fixture(scope="module")
def site(seeded_engine: Engine) -> Iterator[str]:
    with live_server(create_app(seeded_engine)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver


def wait_for(browser: webdriver.Chrome, css: str) -> None:
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def result_titles(browser: webdriver.Chrome) -> list[str]:
    return [link.text for link in browser.find_elements(By.CSS_SELECTOR, "ol.documents a.title")]


def search_from_home(browser: webdriver.Chrome, site: str, words: str) -> None:
    browser.get(site + "/")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys(words, Keys.ENTER)
    wait_for(browser, "#total")


def test_a_traditional_search_from_home_finds_the_letter_naming_明月湖实验室(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    browser.get(site + "/")
    browser.save_screenshot(str(tmp_path / "home.png"))
    counts = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".counts .count")]
    assert counts[0] == "5"
    search_from_home(browser, site, "實驗室")
    browser.save_screenshot(str(tmp_path / "results.png"))
    assert LETTER_1024 in result_titles(browser)
    # The letter found is the one whose text names 明月湖实验室, as the API says.
    named = httpx.get(site + "/documents", params={"q": "明月湖实验室"}).json()["items"]
    assert LETTER_1024 in {item["title"] for item in named}
    marks = {mark.text for mark in browser.find_elements(By.CSS_SELECTOR, ".snippet mark")}
    assert marks == {"实验室"}


def test_clicking_a_facet_shows_as_many_documents_as_the_apis_total(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    search_from_home(browser, site, "實驗室")
    facet = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="topic"] li a')
    value = facet.find_element(By.CSS_SELECTOR, ".facet-value").text
    count = int(facet.find_element(By.CSS_SELECTOR, ".facet-count").text)
    facet.click()
    WebDriverWait(browser, 10).until(lambda b: "topic=" in b.current_url)
    browser.save_screenshot(str(tmp_path / "facet.png"))
    shown = int(browser.find_element(By.ID, "total").text)
    query = dict(parse_qsl(urlsplit(browser.current_url).query))
    assert query == {"q": "實驗室", "topic": value}
    api_total = httpx.get(site + "/documents", params={**query, "total": "true"}).json()["total"]
    assert shown == count == api_total == len(result_titles(browser))


def test_the_letter_highlights_69820_with_a_tooltip_naming_科技型企业(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    search_from_home(browser, site, "科技型企业")
    browser.find_element(By.LINK_TEXT, LETTER_0883).click()
    wait_for(browser, "#text")
    figure = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#text a.mark.figure") if "69820" in m.text)
    tip = figure.find_element(By.CSS_SELECTOR, ".tip")
    assert not tip.is_displayed()
    ActionChains(browser).move_to_element(figure).perform()
    WebDriverWait(browser, 5).until(lambda _b: tip.is_displayed())
    browser.save_screenshot(str(tmp_path / "document.png"))
    assert "指标:科技型企业" in tip.text and "69820家" in tip.text and "实际值" in tip.text
    assert "科技型企业" in (figure.get_attribute("title") or "")
    proposers = browser.find_element(By.CSS_SELECTOR, "#proposal .proposers a")
    assert proposers.text == "孙宽"


def test_the_series_of_科技型企业_shows_two_points_linking_their_letter(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    search_from_home(browser, site, "科技型企业")
    browser.find_element(By.LINK_TEXT, LETTER_0883).click()
    wait_for(browser, "#text")
    next(m for m in browser.find_elements(By.CSS_SELECTOR, "#text a.mark.figure") if "69820" in m.text).click()
    wait_for(browser, "#chart")
    browser.save_screenshot(str(tmp_path / "series.png"))
    points = browser.find_elements(By.CSS_SELECTOR, "#chart a.point")
    assert [(p.get_attribute("data-kind"), p.get_attribute("data-value")) for p in points] == [
        ("actual", "69820"),
        ("target", "75000"),
    ]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart a.point.actual circle")) == 1
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart a.point.target polygon")) == 1
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.points tbody tr")) == 2
    points[0].find_element(By.CSS_SELECTOR, "circle").click()
    wait_for(browser, "#text")
    assert browser.find_element(By.TAG_NAME, "h1").text == LETTER_0883


def test_pages_fit_a_phone_and_break_no_content_security_rule(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    browser.get_log("browser")  # forget what earlier tests logged
    browser.set_window_size(*PHONE)
    try:
        letter_id = httpx.get(site + "/documents", params={"q": "科技型企业"}).json()["items"][0]["id"]
        for name, path in [
            ("home", "/"),
            ("results", "/explore/documents?q=實驗室"),
            ("document", f"/explore/documents/{letter_id}"),
            ("series", "/explore/metrics/series?indicator=科技型企业"),
        ]:
            browser.get(site + path)
            browser.save_screenshot(str(tmp_path / f"phone-{name}.png"))
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (name, overflow)
            # The app's stylesheet applied (the CSP let it load): the brand is bold by it alone.
            assert (
                browser.execute_script("return getComputedStyle(document.querySelector('.brand')).fontWeight") == "700"
            )
        violations = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
        assert violations == []
    finally:
        browser.set_window_size(*DESKTOP)


def test_on_a_touch_screen_the_first_tap_on_a_figure_opens_its_tooltip_and_the_second_follows_it(
    browser: webdriver.Chrome, site: str, tmp_path: Path
) -> None:
    letter_id = httpx.get(site + "/documents", params={"q": "科技型企业"}).json()["items"][0]["id"]
    browser.set_window_size(*PHONE)
    # A phone's pointer: a finger (coarse) that cannot hover.
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    try:
        page = f"{site}/explore/documents/{letter_id}"
        browser.get(page)
        figure = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#text a.mark.figure") if "69820" in m.text)
        figure.click()
        tip = figure.find_element(By.CSS_SELECTOR, ".tip")
        assert browser.current_url == page and tip.is_displayed()
        browser.save_screenshot(str(tmp_path / "phone-tooltip.png"))
        assert "科技型企业" in tip.text
        figure.click()
        wait_for(browser, "#chart")
    finally:
        browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
        browser.set_window_size(*DESKTOP)
