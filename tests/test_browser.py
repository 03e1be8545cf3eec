"""The built site in a real browser (Debian's Chromium, driven by Playwright), as a reader meets it.

Screenshots of every page in both palettes go to ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import ROOT

playwright = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

pytestmark = pytest.mark.site

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"


def pages(site: Path) -> list[str]:
    """Every page's path, as a URL relative to the site root."""
    found = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    return sorted("" if p == "." else f"{p}/" for p in found)


@pytest.fixture(scope="session")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "install Debian's chromium (make test does: apt-get install chromium)"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    # Figures load lazily; load them all, and wait until each one has decoded.
    page.evaluate(
        """() => Promise.all([...document.images].map(img => {
            img.loading = "eager";
            return img.decode().catch(() => null);
        }))"""
    )


def test_every_page_loads_only_from_localhost_without_errors_and_with_decoded_images(site, server, page):
    for path in pages(site):
        page.requests.clear()
        page.errors.clear()
        open_page(page, server + path)
        outside = [url for url in page.requests if not url.startswith((server, "data:", "blob:"))]
        assert outside == [], f"/{path} requested other hosts"
        assert page.errors == [], f"/{path} logged errors"
        broken = page.evaluate("[...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], f"/{path} has images that do not decode"


def test_every_figure_has_alt_text(site, server, page):
    for path in pages(site):
        open_page(page, server + path)
        missing = page.evaluate(
            """[...document.querySelectorAll('.md-content img')]
                .filter(i => !(i.alt || '').trim()).map(i => i.src)"""
        )
        assert missing == [], f"/{path}"


def test_every_code_block_has_a_copy_button(site, server, page):
    checked = 0
    for path in pages(site):
        open_page(page, server + path)
        blocks, buttons = page.evaluate(
            """() => {
                const blocks = [...document.querySelectorAll('.md-content pre > code')];
                const copy = 'nav.md-code__nav button[data-md-type=copy]';
                return [blocks.length, blocks.filter(c => c.parentElement.querySelector(copy)).length];
            }"""
        )
        assert buttons == blocks, f"/{path}: {buttons} copy buttons for {blocks} code blocks"
        checked += blocks
    assert checked > 20


def test_search_finds_backward(server, page):
    open_page(page, server)
    page.click("input.md-search__input")
    page.keyboard.type("backward", delay=20)  # Material searches on key events, not on fill()
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    results = page.inner_text(".md-search-result")
    assert "backward" in results.lower()


def test_palette_toggles_to_dark_and_back_and_screenshots_both(site, server, page):
    SCREENSHOTS.mkdir(exist_ok=True)
    for path in pages(site):
        open_page(page, server + path)
        name = path.strip("/").replace("/", "_") or "index"
        assert page.get_attribute("body", "data-md-color-scheme") == "default"
        page.screenshot(path=SCREENSHOTS / f"{name}-light.png", full_page=True)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.screenshot(path=SCREENSHOTS / f"{name}-dark.png", full_page=True)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violations(site, server, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    try:
        for path in pages(site):
            open_page(page, server + path)
            violations = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in axe.run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert violations == [], f"/{path} in {scheme}"
    finally:
        context.close()


def test_notebook_pages_offer_their_notebook_for_download(site, server, page):
    open_page(page, server + "end-to-end/")
    href = page.get_attribute(".jupyter-wrapper a[href='end-to-end.ipynb']", "href")
    response = page.request.get(server + "end-to-end/" + href)
    assert response.ok and response.json()["cells"]
