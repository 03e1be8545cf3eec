"""`make bench`: how fast the site builds, as ratios to this machine's floor in the same run.

The floor F is the wall time of `python -c "import torch, matplotlib.pyplot"`:
no build that runs the pages' code can be faster than importing what it needs.
Every figure is the median of several runs on a fresh copy of the project, so
the real checkout and its cache are not touched.

Targets (issue 11): cold build <= 4.5 F, rebuild with nothing changed <= 1 F,
prose edit under `mkdocs serve` until the page is served anew <= 1 s, code edit
in one Markdown page under serve <= 1.5 s. After a change to one module only the
pages that use it run again: data.py (most pages) and autograd.py (two) show it.
Issue 6: the explorer reruns 1000 steps and redraws within 50 ms of a control change.
Issue 13's counts held / tried (killed, corrupted, simultaneous builds, endless
code) come from ``reliability.py``, which ``make bench`` runs next.

`--tricks` also measures, in the same run, the speed-ups the build once had and
no longer has (each put back from outside, by code run before MkDocs starts),
to show what each would buy today (issue 11: each must save >= 15% of the figure
it targets to come back): the notebook's page rendered last, compiled
templates kept across serve rebuilds; and the old hooks (before the plugin)
with and without their forked Markdown worker. The speed-ups kept, gc.freeze()
at the exit of `mkdocs build`, and under `mkdocs serve` search entries kept
across rebuilds and polling for saved files every 0.1 s, are measured by
taking each out the same way.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import ROOT, copy_project, get, mkdocs_args, project_env, replace_in, serving, statuses

# ---------------------------------------------------------------- the removed tricks, put back from outside

# The plugin without its gc.freeze() at the exit of `mkdocs build` (on_startup): Python's
# last garbage collections then walk every object the build made.
NO_GC_FREEZE = """
from executed_pages.plugin import ExecutedPagesPlugin
ExecutedPagesPlugin.on_startup = lambda self, *, command, dirty: None
"""
# The theme's compiled templates kept across `mkdocs serve` rebuilds (the plugin's
# templates.py until it saved less than 15%): Jinja's bytecode cache, in memory.
TEMPLATE_CACHE = """
from jinja2.bccache import BytecodeCache
from executed_pages.plugin import ExecutedPagesPlugin
class Kept(BytecodeCache):
    code = {}
    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])
    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()
def on_env(self, env, config, files):
    env.bytecode_cache = Kept()
    return env
ExecutedPagesPlugin.on_env = on_env
"""
# The plugin without its search entries (search.py): under `mkdocs serve`, Material's
# search parses the HTML of every page again on every rebuild.
NO_SEARCH_ENTRIES = """
from executed_pages.search import SearchEntries
SearchEntries.attach = lambda self, config: None
"""
# Notebook pages rendered after every other page (their kernels run meanwhile), order restored at on_env.
NOTEBOOKS_LAST = """
from executed_pages.plugin import ExecutedPagesPlugin as P
_on_files = P.on_files
def on_files(self, files, config):
    files = _on_files(self, files, config)
    self.order = [f.src_uri for f in files]
    for f in [f for f in files.documentation_pages() if f.src_uri.endswith('.ipynb')]:
        files.remove(f)
        files.append(f)
    return files
def on_env(self, env, config, files):
    for src in self.order:
        f = files.get_file_from_path(src)
        files.remove(f)
        files.append(f)
    return env
P.on_files = on_files
P.on_env = on_env
"""
# The plugin without its faster polling (on_serve): `mkdocs serve` looks for saved
# files every 0.5 s, MkDocs' own interval.
MKDOCS_POLLING = """
from executed_pages.plugin import ExecutedPagesPlugin
ExecutedPagesPlugin.on_serve = lambda self, server, *, config, builder: server
"""
# The old hooks without their forked worker: a second thread keeps them from forking.
NO_FORK = "import threading, time\nthreading.Thread(target=time.sleep, args=(3600,), daemon=True).start()"
# The last commit with the hooks in docs/_hooks (forked worker, shuffle, gc.freeze, Jinja cache).
OLD_HOOKS = "85b7f90"


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-2000:]}")
    return elapsed, result


def build(project: Path, prelude: str = "") -> tuple[float, subprocess.CompletedProcess]:
    command = [sys.executable, *mkdocs_args(prelude), "build", "--strict", "-d", str(project / "site")]
    return timed(command, project, project_env(project))


def cold_builds(project: Path, runs: int, prelude: str = "") -> tuple[float, subprocess.CompletedProcess]:
    times = []
    for _ in range(runs):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        seconds, result = build(project, prelude)
        times.append(seconds)
    return statistics.median(times), result


def warm_builds(project: Path, runs: int, prelude: str = "") -> tuple[float, subprocess.CompletedProcess]:
    build(project, prelude)  # warm whatever this variant caches
    times = []
    for _ in range(runs):
        seconds, result = build(project, prelude)
        times.append(seconds)
    return statistics.median(times), result


def cache_status(result: subprocess.CompletedProcess) -> str:
    found = list(statuses(result.stderr).values())
    return f"{found.count('miss')} run, {found.count('hit')} cached"


def serve_edit_times(project: Path, edits: int, kind: str, prelude: str = "") -> list[float]:
    """Seconds from saving an edit of gradients.md (prose or code) to the page being served with it."""
    page = project / "docs" / "gradients.md"
    original = page.read_text()
    prose, code = "Every code block on this page ran", "path = descend(x_start, lr=0.25, steps=5)"
    replace_in(page, prose, prose)  # both are there, or the benchmark measures nothing
    replace_in(page, code, code)
    times = []
    pauses = random.Random(0)
    with serving(project, project / "serve.log", prelude=prelude) as base:
        url = f"{base}/gradients/"
        start = time.monotonic()
        while prose not in get(url):
            if time.monotonic() - start > 300:
                sys.exit("mkdocs serve did not come up; see " + str(project / "serve.log"))
            time.sleep(0.2)
        time.sleep(1.0)  # let the server settle after its first build
        for i in range(edits):
            if kind == "prose":
                token = f"prose edit number {i} of the benchmark"
                page.write_text(original.replace(prose, f"{token}. {prose}"))
            else:
                token = f"step {6 + i}: x ="
                page.write_text(original.replace(code, code.replace("steps=5", f"steps={6 + i}")))
            start = time.perf_counter()
            while token not in re.sub(r"<[^>]+>", "", get(url)):
                if time.perf_counter() - start > 120:
                    sys.exit(f"the {kind} edit never reached the served page")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            # MkDocs looks for saved files every 0.5 s. A fixed pause would save each edit at
            # the same point of that cycle every time (set by how long a rebuild takes) and
            # measure one fixed wait instead of the average; a pause spread over one whole
            # cycle measures what an edit saved at any moment waits.
            time.sleep(0.5 + pauses.random() * 0.5)
    page.write_text(original)
    return times


def old_hooks_project(dest: Path) -> Path:
    """The project as it was at OLD_HOOKS, for the forked worker's figures."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", OLD_HOOKS, "docs", "src", "mkdocs.yml"], cwd=ROOT, capture_output=True
    )
    if archive.returncode:
        sys.exit(f"cannot read {OLD_HOOKS} from git: {archive.stderr.decode()}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


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


COLD = "cold build (empty caches, every page executed)"
WARM = "rebuild, nothing changed"
PROSE = "mkdocs serve: prose edit until the page is served"
CODE = "mkdocs serve: code edit in gradients.md until the page is served"
EXPLORER = "explorer: rerun 1000 steps and redraw after a slider move"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median is reported)")
    parser.add_argument("--tricks", action="store_true", help="also measure the removed speed-ups")
    args = parser.parse_args()
    rows = []

    def row(what, seconds, note="", base=None):
        rows.append((what, seconds, note, base))
        print(f"  measured: {what}: {seconds:.3f} s {note}", flush=True)

    imports = [sys.executable, "-c", "import torch, matplotlib.pyplot"]
    floor = statistics.median(timed(imports, ROOT, project_env(ROOT))[0] for _ in range(max(args.runs, 5)))
    row("floor F: import torch, matplotlib.pyplot", floor)

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(ROOT, Path(tmp) / "project")
        cold, result = cold_builds(project, args.runs)
        row(COLD, cold, cache_status(result))
        if args.tricks:
            seconds, _ = cold_builds(project, args.runs, NOTEBOOKS_LAST)
            row("  cold build with notebook pages rendered last", seconds, "", cold)
            seconds, _ = cold_builds(project, args.runs, NO_GC_FREEZE)
            row("  cold build without gc.freeze() at exit", seconds)
            row("    gc.freeze() at exit: the cold build over the same without", cold, "", seconds)
            old = old_hooks_project(Path(tmp) / "old")
            forked, _ = cold_builds(old, args.runs)
            row(f"  cold build, hooks of {OLD_HOOKS} with their forked worker", forked)
            single, _ = cold_builds(old, args.runs, NO_FORK)
            row(f"  cold build, hooks of {OLD_HOOKS} without forking", single)
            row("  forked worker: its build over the same build without forking", forked, "", single)

        warm, result = warm_builds(project, args.runs)
        row(WARM, warm, cache_status(result))
        if args.tricks:
            seconds, _ = warm_builds(project, args.runs, NO_GC_FREEZE)
            row("  rebuild without gc.freeze() at exit", seconds)
            row("    gc.freeze() at exit: the rebuild over the same without", warm, "", seconds)

        # Only the pages that use a changed module run again: most use data.py, two use autograd.py.
        # Edits to docstrings: the key covers a module's whole source, so they rerun the same
        # pages as a change to its code would, without changing what the pages print (a
        # change to the data could make a guarded claim fail, which is a build failure).
        changes = [
            ("data.py", "with a known true curve", "with a known true curve ({})"),
            ("autograd.py", "Nodes are", "Nodes ({}) are"),
        ]
        for name, old_text, new_text in changes:
            module = project / "src" / "sgd_tutorial" / name
            original = module.read_text()
            changed = []
            for i in range(args.runs):
                replace_in(module, old_text, new_text.format(2 + i))
                seconds, result = build(project)
                changed.append(seconds)
                module.write_text(original)
            row(f"rebuild after a change to {name}", statistics.median(changed), cache_status(result))
            build(project)  # back to a warm cache for the next figure

        size_table(project / "site")
        update = statistics.median(explorer_update_times(project / "site")) / 1000
        row(EXPLORER, update)
        edits = max(3 * args.runs, 9)
        prose = statistics.median(serve_edit_times(project, edits, "prose"))
        row(PROSE, prose)
        code = statistics.median(serve_edit_times(project, edits, "code"))
        row(CODE, code)
        if args.tricks:
            for kind, kept in [("prose", prose), ("code", code)]:
                for name, prelude in [
                    ("every page indexed for search anew", NO_SEARCH_ENTRIES),
                    ("polling every 0.5 s (MkDocs' own)", MKDOCS_POLLING),
                ]:
                    without = statistics.median(serve_edit_times(project, edits, kind, prelude))
                    row(f"  {kind} edit under serve, {name}", without)
                    row(f"    the {kind} edit as it is, over the same", kept, "", without)
                cached = statistics.median(serve_edit_times(project, edits, kind, TEMPLATE_CACHE))
                row(f"  {kind} edit under serve, with compiled templates kept (removed)", cached, "", kept)

    targets = {
        COLD: ("<= 4.5 F", lambda s: s <= 4.5 * floor),
        WARM: ("<= 1 F", lambda s: s <= floor),
        PROSE: ("<= 1 s", lambda s: s <= 1.0),
        CODE: ("<= 1.5 s", lambda s: s <= 1.5),
        EXPLORER: ("<= 50 ms", lambda s: s <= 0.05),
    }
    width = max(len(what) for what, *_ in rows)
    print(f"\nBuild times, median of {args.runs} runs (F = {floor:.2f} s)\n")
    print(f"| {'what':<{width}} | seconds | x F  | saves | target   | met | pages |")
    print(f"|{'-' * (width + 2)}|---------|------|-------|----------|-----|-------|")
    for what, seconds, note, base in rows:
        target, check = targets.get(what, ("", None))
        met = "" if check is None else ("yes" if check(seconds) else "NO")
        saves = "" if base is None else f"{1 - seconds / base:+.0%}"
        ratio = seconds / floor
        cells = [
            f"{what:<{width}}",
            f"{seconds:7.3f}",
            f"{ratio:4.2f}",
            f"{saves:>5}",
            f"{target:<8}",
            f"{met:<3}",
        ]
        print(f"| {' | '.join(cells)} | {note} |")


if __name__ == "__main__":
    main()
