"""`make bench`: how fast the site builds, as ratios to this machine's floor in the same run.

The floor F is the wall time of `python -c "import torch, matplotlib.pyplot"`:
no build that runs the pages' code can be faster than importing what it needs.
Every figure is the median of several runs on a fresh copy of the project, so
the real checkout and its cache are not touched.

Targets (issue 3): cold build <= 4 F, rebuild with nothing changed <= 1 F,
prose-only edit under `mkdocs serve` until the page is served anew <= 1 s. After a
change to one module only the pages that use it run again: data.py (most pages) and
autograd.py (two) show the difference.
Issue 6: the explorer reruns 1000 steps and redraws within 50 ms of a control change
(measured in Chromium, as the browser tests do).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import ONE_PROCESS, executed_pages, mkdocs_args, served_path  # noqa: E402

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(command: list[str], cwd: Path, env: dict = ENV) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed, result


def build(project: Path, prelude: str = "") -> tuple[float, subprocess.CompletedProcess]:
    command = [sys.executable, *mkdocs_args(prelude), "build", "--strict", "-d", str(project / "site")]
    return timed(command, project, project_env(project))


# Builds of the copy import the copy's package, not the installed one.
def project_env(project: Path) -> dict:
    return dict(ENV, PYTHONPATH=str(project / "src"))


def copy_project(dest: Path) -> Path:
    for name in ("docs", "src"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def cache_status(result: subprocess.CompletedProcess) -> str:
    statuses = [status for status, _ in executed_pages(result.stderr).values()]
    return f"{statuses.count('miss')} run, {statuses.count('hit')} cached"


def serve_edit_times(project: Path, edits: int) -> list[float]:
    """Seconds from saving a prose edit to the page being served with it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(project / "serve.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=project_env(project),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}{served_path(project)}gradients/"
    page = project / "docs" / "gradients.md"

    def served() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    times = []
    try:
        deadline = time.monotonic() + 180
        while "Every code block on this page ran" not in served():
            if time.monotonic() > deadline:
                sys.exit("mkdocs serve did not come up; see " + str(project / "serve.log"))
            time.sleep(0.2)
        time.sleep(1.0)  # let the server settle after its first build
        original = page.read_text()
        for i in range(edits):
            token = f"prose edit number {i} of the benchmark"
            edited = original.replace("Every code block on this page ran", f"{token}. Every code block ran")
            page.write_text(edited)
            start = time.perf_counter()
            while token not in served():
                if time.perf_counter() - start > 60:
                    sys.exit("the edit never reached the served page")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return times


def size_table(site: Path) -> None:
    """Bytes of each page's HTML and of each figure (targets: 100 KB and 60 KB, issue 4)."""
    print("\nPage sizes (HTML only; shared CSS, JS and figures are separate files the browser caches)\n")
    print("| page | HTML bytes | figures | largest figure | met |")
    print("|------|-----------:|--------:|---------------:|-----|")
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        figures = [
            site / "assets" / "figures" / name for name in re.findall(r'figures/([0-9a-f]+\.\w+)"', html)
        ]
        largest = max((f.stat().st_size for f in figures), default=0)
        met = "yes" if page.stat().st_size <= 100_000 and largest <= 60_000 else "NO"
        name = page.relative_to(site).as_posix()
        print(f"| {name} | {page.stat().st_size:,} | {len(figures)} | {largest:,} | {met} |")
    shared = [
        site / "stylesheets" / "notebook.css",
        *sorted((site / "assets").glob("javascripts/bundle*.js")),
    ]
    for path in shared:
        print(f"| (shared) {path.relative_to(site).as_posix()} | {path.stat().st_size:,} | | | |")


def explorer_update_times(site: Path, presses: int = 20) -> list[float]:
    """Milliseconds the explorer takes to rerun 1000 steps and redraw after a slider move."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    args = ["--no-sandbox", "--disable-background-networking"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/explorer/", wait_until="networkidle")
            page.check("input[name=explorer-input][value=rescaled]")
            page.fill("#explorer-steps", "1000")
            page.focus("#explorer-lr")
            times = []
            for i in range(presses):
                page.keyboard.press("ArrowLeft" if i % 2 else "ArrowRight")
                times.append(float(page.get_attribute("#explorer", "data-update-ms")))
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median is reported)")
    args = parser.parse_args()
    rows = []

    def row(what, seconds, note=""):
        rows.append((what, seconds, note))
        print(f"  measured: {what}: {seconds:.3f} s {note}", flush=True)

    imports = [sys.executable, "-c", "import torch, matplotlib.pyplot"]
    floor = statistics.median(timed(imports, ROOT)[0] for _ in range(max(args.runs, 5)))
    row("floor F: import torch, matplotlib.pyplot", floor)

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            seconds, result = build(project)
            cold.append(seconds)
        row("cold build (empty caches, every page executed)", statistics.median(cold), cache_status(result))
        single = []
        for _ in range(args.runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            seconds, result = build(project, ONE_PROCESS)
            single.append(seconds)
        row("cold build in one process (no fork, as in mkdocs serve)", statistics.median(single))
        for _ in range(args.runs):
            seconds, result = build(project)
            warm.append(seconds)
        row("rebuild, nothing changed", statistics.median(warm), cache_status(result))

        # Only the pages that use a changed module run again: most use data.py,
        # two use autograd.py.
        changes = [("data.py", "** 2 + 1\n", "** 2 + {}\n"), ("autograd.py", "Nodes are", "Nodes ({}) are")]
        for name, old, new in changes:
            module = project / "src" / "sgd_tutorial" / name
            original = module.read_text()
            changed = []
            for i in range(args.runs):
                module.write_text(original.replace(old, new.format(2 + i)))
                seconds, result = build(project)
                changed.append(seconds)
            row(f"rebuild after a change to {name}", statistics.median(changed), cache_status(result))
            module.write_text(original)
            build(project)  # back to a warm cache for the next figure

        build(project)
        size_table(project / "site")
        update = statistics.median(explorer_update_times(project / "site")) / 1000
        row("explorer: rerun 1000 steps and redraw after a slider move", update)
        edits = serve_edit_times(project, edits=max(args.runs, 5))
        row("mkdocs serve: prose edit until the page is served", statistics.median(edits))

    targets = {
        "cold build (empty caches, every page executed)": ("<= 4 F", lambda s: s <= 4 * floor),
        "rebuild, nothing changed": ("<= 1 F", lambda s: s <= floor),
        "mkdocs serve: prose edit until the page is served": ("<= 1 s", lambda s: s <= 1.0),
        "explorer: rerun 1000 steps and redraw after a slider move": ("<= 50 ms", lambda s: s <= 0.05),
    }
    width = max(len(what) for what, _, _ in rows)
    print(f"\nBuild times, median of {args.runs} runs (F = {floor:.2f} s)\n")
    print(f"| {'what':<{width}} | seconds | x F  | target   | met | pages |")
    print(f"|{'-' * (width + 2)}|---------|------|----------|-----|-------|")
    for what, seconds, note in rows:
        target, check = targets.get(what, ("", None))
        met = "" if check is None else ("yes" if check(seconds) else "NO")
        ratio = seconds / floor
        print(f"| {what:<{width}} | {seconds:7.3f} | {ratio:4.2f} | {target:<8} | {met:<3} | {note} |")


if __name__ == "__main__":
    main()
