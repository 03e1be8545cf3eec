"""The built site in a real browser (Debian's Chromium, driven by Playwright), as a reader meets it.

Screenshots of every page in both palettes go to ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import math
import re
import threading
from pathlib import Path

import pytest

from helpers import ROOT, published_path

playwright = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

pytestmark = pytest.mark.site

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"


def pages(site: Path) -> list[str]:
    """Every page's path (and the 404 page), as a URL relative to the site root."""
    found = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    return [*sorted("" if p == "." else f"{p}/" for p in found), "404.html"]


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    """The built site on localhost, at the path it is published under (site_url's path).

    The 404 page links its styles by absolute path, since it answers for any URL.
    """

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    mount = published_path(site).strip("/")
    root = tmp_path_factory.mktemp("served")
    if mount:
        (root / mount).symlink_to(site, target_is_directory=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{mount + '/' if mount else ''}"
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
    page.goto(url, wait_until="load")
    # Figures load lazily; load them all, and wait until each one has decoded.
    page.evaluate(
        """() => Promise.all([...document.images].map(img => {
            img.loading = "eager";
            return img.decode().catch(() => null);
        }))"""
    )


# Text of the content that is neither code nor a formula: where raw TeX would show.
_PROSE_TEXT = """() => {
    const walker = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.parentElement.closest('pre, code, math, script, style')) parts.push(node.textContent);
    }
    return parts.join('');
}"""

# What the checks below read from a page, in one round trip.
_PAGE_FACTS = """() => {
    const content = document.querySelector('.md-content');
    const blocks = [...content.querySelectorAll('pre > code')];
    const copy = 'nav.md-code__nav button[data-md-type=copy]';
    return {
        scheme: document.body.getAttribute('data-md-color-scheme'),
        broken: [...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src),
        noAlt: [...content.querySelectorAll('img')].filter(i => !(i.alt || '').trim()).map(i => i.src),
        codeBlocks: blocks.length,
        copyButtons: blocks.filter(c => c.parentElement.querySelector(copy)).length,
        figures: [...content.querySelectorAll('img.figure')].map(i => [i.src,
            +i.getAttribute('width'), +i.getAttribute('height'), i.naturalWidth, i.naturalHeight]),
    };
}"""

# Every formula: has it a size, and the colour of the text around it?
_FORMULAS = """() => [...document.querySelectorAll('.md-content math')].map(m => {
    const box = m.getBoundingClientRect();
    const text = getComputedStyle(m.closest('p, li, td, div')).color;
    return [box.width * box.height > 0, getComputedStyle(m).color === text];
})"""

# Folded solutions opened, and closed again: a closed <details> hides its formulas
# from screen readers and from layout.
_UNFOLD = """() => document.querySelectorAll('details:not([open])').forEach(d => {
    d.open = true; d.dataset.unfolded = '';
})"""
_REFOLD = """() => document.querySelectorAll('details[data-unfolded]').forEach(d => {
    d.open = false; delete d.dataset.unfolded;
})"""

PALETTE_TOGGLE = "form[data-md-component=palette] label:visible"


def toggle(page, scheme: str) -> None:
    """Click the palette toggle as a reader would, and wait for the page to take ``scheme``."""
    page.click(PALETTE_TOGGLE)
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'", timeout=5000)


def serious_violations(axe, page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in axe.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def look_in_palette(page, axe, screenshot: Path) -> dict:
    """What a page shows in the palette it is in: formulas, accessibility, a screenshot."""
    page.screenshot(path=screenshot, full_page=True, type="jpeg", quality=80)
    page.evaluate(_UNFOLD)
    seen = {
        "scheme": page.get_attribute("body", "data-md-color-scheme"),
        "formulas": page.evaluate(_FORMULAS),
        "math_roles": page.get_by_role("math").count(),
        "prose": page.evaluate(_PROSE_TEXT),
    }
    page.evaluate(_REFOLD)
    seen["violations"] = serious_violations(axe, page)
    return seen


@pytest.fixture(scope="session")
def visits(site, server, browser) -> dict[str, dict]:
    """Each page visited once, as a reader would: everything it requests and logs, what it
    shows, and axe-core's findings, in the light palette, then in dark after the toggle,
    then light again. The tests below check what was recorded.

    One visit per page instead of one per test: a visit (mostly axe-core's contrast
    check, and the screenshots) costs about 4 s of CPU a page.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme="light")
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    axe = Axe()
    found = {}
    try:
        for path in pages(site):
            requests.clear()
            errors.clear()
            # Requests are recorded for the whole visit, seconds after "load", so one that
            # comes late is seen without waiting for the network to be idle (0.5 s a page).
            open_page(page, server + path)
            name = path.strip("/").replace("/", "_") or "index"
            facts = page.evaluate(_PAGE_FACTS)
            facts["light"] = look_in_palette(page, axe, SCREENSHOTS / f"{name}-light.jpg")
            toggle(page, "slate")
            facts["dark"] = look_in_palette(page, axe, SCREENSHOTS / f"{name}-dark.jpg")
            toggle(page, "default")
            facts["back"] = page.get_attribute("body", "data-md-color-scheme")
            facts["outside"] = [url for url in requests if not url.startswith((server, "data:", "blob:"))]
            facts["errors"] = list(errors)
            found[path] = facts
    finally:
        context.close()
    return found


def test_every_page_loads_only_from_localhost_without_errors_and_with_decoded_images(visits):
    for path, seen in visits.items():
        assert seen["outside"] == [], f"/{path} requested other hosts"
        assert seen["errors"] == [], f"/{path} logged errors"
        assert seen["broken"] == [], f"/{path} has images that do not decode"


def test_every_figure_has_alt_text(visits):
    for path, seen in visits.items():
        assert seen["noAlt"] == [], f"/{path}"


def test_every_code_block_has_a_copy_button(visits):
    for path, seen in visits.items():
        assert seen["copyButtons"] == seen["codeBlocks"], (
            f"/{path}: {seen['copyButtons']} copy buttons for {seen['codeBlocks']} code blocks"
        )
    assert sum(seen["codeBlocks"] for seen in visits.values()) > 20


def test_search_finds_backward(server, page):
    open_page(page, server)
    page.click("input.md-search__input")
    page.keyboard.type("backward", delay=20)  # Material searches on key events, not on fill()
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    results = page.inner_text(".md-search-result")
    assert "backward" in results.lower()


def test_palette_toggles_to_dark_and_back_and_screenshots_both(visits):
    for path, seen in visits.items():
        assert (seen["scheme"], seen["light"]["scheme"]) == ("default", "default"), f"/{path}"
        assert seen["dark"]["scheme"] == "slate", f"/{path}: the toggle did not switch to dark"
        assert seen["back"] == "default", f"/{path}: the toggle did not switch back"
        name = path.strip("/").replace("/", "_") or "index"
        for scheme in ("light", "dark"):
            assert (SCREENSHOTS / f"{name}-{scheme}.jpg").stat().st_size > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violations(visits, scheme):
    for path, seen in visits.items():
        assert seen[scheme]["violations"] == [], f"/{path} in {scheme}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_formulas_are_typeset_in_the_text_colour_and_no_tex_shows(visits, scheme):
    formulas = 0
    for path, seen in visits.items():
        shown = seen[scheme]["formulas"]
        assert all(size for size, _ in shown), f"/{path}: a formula has no size"
        assert all(colour for _, colour in shown), f"/{path}: a formula is not in the text's colour"
        # Exposed to screen readers as mathematics.
        assert seen[scheme]["math_roles"] == len(shown), f"/{path}"
        assert not re.search(r"\\[(\[]|\$", seen[scheme]["prose"]), f"/{path} shows raw TeX"
        formulas += len(shown)
    assert formulas >= 2


def test_every_figure_has_its_own_width_and_height_so_nothing_shifts(visits):
    checked = 0
    for path, seen in visits.items():
        for src, width, height, natural_w, natural_h in seen["figures"]:
            assert width > 0 and height > 0, f"/{path}: {src} has no width and height"
            assert width / height == pytest.approx(natural_w / natural_h, rel=0.01), f"/{path}: {src}"
            checked += 1
    assert checked > 5


# What a code block looks like: font, size, wrapping, and colours of code and output
# (blocks in admonitions and folded solutions are smaller on every page).
_CODE_LOOK = """() => {
    const look = el => { const s = getComputedStyle(el);
        return [s.fontFamily, s.fontSize, s.whiteSpace, s.overflowX, s.color, s.backgroundColor]; };
    const code = [...document.querySelectorAll('.md-content pre > code')]
        .filter(c => !c.closest('details, .admonition'));
    const output = document.querySelector('.md-content .result pre > code, .jp-RenderedText pre > code');
    return {code: [...new Set(code.map(c => JSON.stringify(look(c))))], output: look(output)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_notebook_page_shows_code_and_output_as_markdown_pages_do(server, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        open_page(page, server + "backpropagation/")
        markdown = page.evaluate(_CODE_LOOK)
        open_page(page, server + "end-to-end/")
        notebook = page.evaluate(_CODE_LOOK)
        # Every code block and every output: one look, the Markdown pages' own.
        assert notebook["code"] == markdown["code"] and len(markdown["code"]) == 1
        assert notebook["output"] == markdown["output"]
        _, _, white_space, overflow, *_ = markdown["output"]
        assert white_space == "pre" and overflow == "auto"  # long lines scroll sideways
        # The longest line of shown source is wider than its block, and is not wrapped.
        wraps = page.evaluate(
            """[...document.querySelectorAll('.md-content pre > code')]
                .filter(c => c.scrollWidth > c.clientWidth).length"""
        )
        assert wraps > 0
    finally:
        context.close()


@pytest.mark.parametrize("url", ["end-to-end/", "fit/"])
def test_pages_that_run_code_offer_their_notebook_by_keyboard(site, server, page, url):
    open_page(page, server + url)
    download = page.get_by_role("link", name="Download notebook")
    colab = page.get_by_role("link", name="Open in Colab")
    assert download.is_visible() and colab.is_visible()
    # Both are reached with the Tab key, as everything else on the page.
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.title"))
        if {"Download notebook", "Open in Colab"} <= reached:
            break
    assert {"Download notebook", "Open in Colab"} <= reached
    response = page.request.get(server + url + download.get_attribute("href"))
    notebook = response.json()
    assert response.ok and notebook["cells"][0]["metadata"]["tags"] == ["install"]
    assert colab.get_attribute("href").startswith("https://colab.research.google.com/github/")
    assert not [request for request in page.requests if "colab" in request]  # a plain link: nothing fetched


# ---------------------------------------------------------------- the learning-rate explorer


def set_explorer(page, input_: str, log_lr: float, steps: int) -> str:
    """Set the controls as a reader would, and return the status line."""
    page.check(f"input[name=explorer-input][value={input_}]")
    page.fill("#explorer-steps", str(steps))
    slide = (
        "v => { const s = document.getElementById('explorer-lr');"
        " s.value = v; s.dispatchEvent(new Event('input')); }"
    )
    page.evaluate(slide, str(log_lr))
    return page.inner_text("#explorer-status")


def package_run(input_: str, log_lr: float, steps: int):
    from sgd_tutorial import init_params, make_speed_data, rescale, train

    time, speed = make_speed_data(seed=42)
    t = rescale(time) if input_ == "rescaled" else time
    return t, speed, lambda: train(init_params(seed=10), t, speed, 10**log_lr, steps)


@pytest.mark.parametrize(
    ("input_", "log_lr", "steps"),
    [
        ("raw", -5, 10),
        ("raw", -5, 1000),
        ("raw", -4.75, 100),
        ("rescaled", -1, 200),
        ("rescaled", -0.1, 30),
        ("rescaled", -0.3, 1000),
    ],
)
def test_explorer_loss_after_n_steps_equals_the_package_loop(server, page, input_, log_lr, steps):
    from sgd_tutorial import mse, quadratic

    open_page(page, server + "explorer/")
    status = set_explorer(page, input_, log_lr, steps)
    t, speed, run = package_run(input_, log_lr, steps)
    expected = mse(quadratic(t, run().params[-1]), speed).item()
    match = re.search(r"Loss after (\d+) steps: ([0-9.e+-]+)", status)
    assert match, status
    assert int(match[1]) == steps
    assert float(match[2]) == pytest.approx(expected, rel=1e-4)


def test_explorer_says_when_a_run_diverges_at_the_same_step_as_the_package(server, page):
    from sgd_tutorial import DivergenceError

    open_page(page, server + "explorer/")
    status = set_explorer(page, "rescaled", 0.1, 500)
    with pytest.raises(DivergenceError) as error:
        package_run("rescaled", 0.1, 500)[2]()
    step = re.match(r"step (\d+):", str(error.value))[1]
    assert f"Diverged at step {step}" in status and "smaller learning rate" in status
    assert page.evaluate("[...document.querySelectorAll('.sgd-explorer canvas')].every(c => c.width > 0)")


def test_explorer_slider_moves_with_the_keyboard_and_the_plot_changes(server, page):
    open_page(page, server + "explorer/")
    before = page.evaluate("document.getElementById('explorer-fit').toDataURL()")
    status = page.inner_text("#explorer-status")
    page.focus("#explorer-lr")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("#explorer-lr", "s => Number(s.value)") == pytest.approx(-5 + 3 * 0.05)
    assert page.inner_text("#explorer-status") != status
    assert page.evaluate("document.getElementById('explorer-fit').toDataURL()") != before


def test_explorer_measures_its_update_time_for_1000_steps(server, page):
    open_page(page, server + "explorer/")
    set_explorer(page, "rescaled", -1, 1000)
    page.focus("#explorer-lr")
    # The time is a benchmark figure (make bench compares it with the 50 ms target);
    # here each update must measure it anew, for a run of 1000 steps.
    for _ in range(3):
        page.evaluate("document.querySelector('#explorer').removeAttribute('data-update-ms')")
        page.keyboard.press("ArrowRight")
        measured = page.get_attribute("#explorer", "data-update-ms")
        assert measured is not None, "the update did not measure its time"
        assert math.isfinite(float(measured))
        assert "Loss after 1000 steps" in page.inner_text("#explorer-status")


def test_explorer_fits_a_phone_screen(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        open_page(page, server + "explorer/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        widths = page.evaluate(
            "[...document.querySelectorAll('.sgd-explorer canvas')].map(c => c.clientWidth)"
        )
        assert len(widths) == 3 and all(0 < w <= 375 for w in widths)
    finally:
        context.close()
