"""`make reliability`: tries to make the site show an output that a cold build of the same sources would not.

Each round works on a copy of a project in a temporary folder and compares every
file of what it built with a clean build of the same copy (empty cache,
SOURCE_DATE_EPOCH set, so the sitemap is stable), but the execution report,
whose job is to say which pages ran and which came from the cache:

- kill: a cold build is killed (SIGKILL, as ``kill -9`` does) after a delay drawn
  from a seeded generator, spread over a cold build's duration; the next build
  must equal a clean one;
- corrupt: one cache entry (a JSON file in the cache folder, chosen by the same
  generator) is truncated, replaced by garbage, by ``{}``, by a snapshot missing a
  field or of another schema version, by a directory, or made unreadable; the
  next build must succeed, name the entry in its log and equal a clean build;
- simultaneous: two or three builds run at once into different site folders,
  sharing one cache; each, and the build after them, must equal a clean build;
- endless: a ``while True: pass`` block added to a Markdown page; the build must
  fail, naming the page, before this script's cap (and says how long it took);
- serve: under ``mkdocs serve`` a variable a later block prints is renamed in
  the block defining it; ``mkdocs build --strict`` must then fail with NameError.

Prints a Markdown table of counts held / tried and exits 1 if anything did not
hold. ``--quick`` runs fewer rounds (under ~2 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import (
    FIXTURE_SITE,
    ROOT,
    copy_project,
    differences,
    get,
    mkdocs_args,
    project_env,
    serving,
    wait_for,
)

START = time.monotonic()


def say(message: str) -> None:
    """A progress line, shown at once: a long run shows it is alive."""
    print(f"[{time.monotonic() - START:6.1f} s] {message}", flush=True)


@dataclass
class Trial:
    """One attempt to break the build: did the promise hold, and what was seen."""

    held: bool | None  # None: not tried (said why in note)
    note: str = ""
    seconds: float = 0.0


@dataclass
class Row:
    what: str
    site: str
    trials: list[Trial] = field(default_factory=list)

    def cells(self) -> tuple[str, str]:
        tried = [t for t in self.trials if t.held is not None]
        held = sum(t.held for t in tried)
        counts = Counter(t.note for t in self.trials if t.note)
        notes = [note if n == 1 else f"{note} ({n}x)" for note, n in sorted(counts.items())]
        return f"{held} / {len(tried)}", "; ".join(notes)

    @property
    def failed(self) -> bool:
        return any(t.held is False for t in self.trials)


# ---------------------------------------------------------------- the project


class _Tolerant(yaml.SafeLoader):
    """Reads mkdocs.yml without constructing its ``!!python/...`` and ``!ENV`` tags."""


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_settings(project: Path) -> dict:
    """The executed-pages plugin's settings in the project's mkdocs.yml (empty if none)."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Tolerant) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("executed-pages"), dict):
            return plugin["executed-pages"]
    return {}


def cache_folder(project: Path) -> Path:
    """The executed-pages plugin's ``cache_dir`` from mkdocs.yml if set, else ``.cache``."""
    folder = plugin_settings(project).get("cache_dir")
    return project / folder if folder else project / ".cache"


def report_html(project: Path) -> str | None:
    """Where the site has its execution report, if it has one: the one page meant to differ
    from a clean build's, since it says which pages ran and which came from the cache."""
    report = plugin_settings(project).get("report")
    return f"{report.removesuffix('.md')}/index.html" if report else None


def entries(project: Path) -> list[Path]:
    """The cache's stored pages: every JSON file under the cache folder, whatever its layout."""
    return sorted(p for p in cache_folder(project).rglob("*.json") if p.is_file())


def exec_page(project: Path) -> Path:
    """The first Markdown page (by name) that has an ``exec`` block."""
    for page in sorted((project / "docs").rglob("*.md")):
        if re.search(r"^```+\s*python[^\n]*\bexec=", page.read_text(encoding="utf-8"), re.M):
            return page
    raise SystemExit(f"no Markdown page of {project} runs code")


def build_command(project: Path, site: Path) -> list[str]:
    config = str(project / "mkdocs.yml")
    return [sys.executable, *mkdocs_args(), "build", "--strict", "-d", str(site), "-f", config]


def start_build(project: Path, site: Path, log: Path) -> subprocess.Popen:
    """A `make build` of the project in a session of its own (so that it can be killed with its children)."""
    with log.open("w") as out:
        return subprocess.Popen(
            build_command(project, site),
            cwd=project,
            env=project_env(project),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def strays(folder: Path) -> list[int]:
    """Processes still working inside ``folder`` (kernels, forked children of a killed build)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cwd == str(folder) or cwd.startswith(f"{folder}/"):
            found.append(int(proc.name))
    return found


def stop_all(process: subprocess.Popen, folder: Path, grace: float = 3.0) -> int:
    """SIGKILL a build, then anything it left running in its folder after ``grace`` s; how many were left."""
    with _suppress_gone():
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + grace
    while strays(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = strays(folder)
    for pid in left:
        with _suppress_gone():
            os.kill(pid, signal.SIGKILL)
    return len(left)


class _suppress_gone:  # used like contextlib.suppress
    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is not None and issubclass(kind, ProcessLookupError)


class Lab:
    """A copy of a project, its clean build, and the rounds that try to break it."""

    def __init__(self, source: Path, folder: Path, rng: random.Random, label: str) -> None:
        self.source, self.folder, self.rng, self.label = source, folder, rng, label
        folder.mkdir(parents=True)
        self.project = copy_project(source, folder / "project")
        self.report = report_html(self.project)
        self.runs = 0
        self.reference: Path | None = None
        self.cold = 0.0
        self.timeout = 600.0
        self.entry_order: list[Path] = []
        self.cached: set[str] = set()
        self.corrupted = 0

    def clear_cache(self) -> None:
        shutil.rmtree(cache_folder(self.project), ignore_errors=True)

    def site(self, name: str) -> Path:
        self.runs += 1
        return self.folder / f"site-{self.runs}-{name}"

    def build(self, site: Path, timeout: float | None = None) -> tuple[subprocess.CompletedProcess, float]:
        start = time.perf_counter()
        result = subprocess.run(
            build_command(self.project, site),
            cwd=self.project,
            env=project_env(self.project),
            capture_output=True,
            text=True,
            timeout=timeout or self.timeout,
        )
        return result, time.perf_counter() - start

    def clean_build(self) -> Trial:
        """The reference: a build from an empty cache. Sets the cold build's duration."""
        self.clear_cache()
        site = self.site("clean")
        result, self.cold = self.build(site)
        if result.returncode:
            raise SystemExit(f"the clean build of {self.label} failed:\n{result.stderr[-3000:]}")
        self.reference = site
        self.cached = self.cache_files()
        # What the clean build stored is the warm cache each corrupt round starts from.
        shutil.rmtree(self.folder / "warm-cache", ignore_errors=True)
        shutil.copytree(cache_folder(self.project), self.folder / "warm-cache", symlinks=True)
        self.timeout = max(120.0, 8 * self.cold)
        return Trial(True, seconds=self.cold)

    def tail(self, log: str) -> str:
        """The last line of a build's log, without the temporary folder's path."""
        lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
        return (lines[-1] if lines else "(no output)").replace(f"{self.project}/", "")[:160]

    def failed(self, result: subprocess.CompletedProcess, what: str) -> str:
        """Empty when the build succeeded; else ``what`` and its last line."""
        return f"{what}: {self.tail(result.stdout + result.stderr)}" if result.returncode else ""

    def cache_files(self) -> set[str]:
        folder = cache_folder(self.project)
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}

    def leftovers(self) -> str:
        """Empty when the cache holds the files a clean build leaves; else what else it holds."""
        extra = sorted(self.cache_files() - self.cached)
        return f"left in the cache: {', '.join(extra[:3])}" if extra else ""

    def same_as_clean(self, site: Path) -> str:
        """Empty when ``site`` is byte-identical to the clean build; else which files differ."""
        found = [path for path in differences(self.reference, site) if path != self.report]
        if not found:
            return ""
        return f"{len(found)} files differ from a clean build ({', '.join(sorted(found)[:3])})"

    def control(self) -> Trial:
        """A second clean build: if it differed, no other round could be judged."""
        self.clear_cache()
        site = self.site("control")
        result, seconds = self.build(site)
        problem = self.failed(result, "build failed") or self.same_as_clean(site)
        return Trial(not problem, problem, seconds)

    # ------------------------------------------------------------ kill

    def kill_delays(self, n: int) -> list[float]:
        """n delays spread over a cold build: one drawn at random in each n-th of 90% of its duration.

        A build on a busy machine may end sooner than the clean one did, and a
        build that ends before its kill is not counted.
        """
        return [0.9 * self.cold * (i + self.rng.random()) / n for i in range(n)]

    def kill_round(self, delay: float) -> Trial:
        self.clear_cache()
        site = self.site("killed")
        process = start_build(self.project, site, self.folder / "killed.log")
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            pass
        else:  # not a kill: not counted
            return Trial(None, "a build ended before its kill (not counted)")
        left = stop_all(process, self.project)
        result, seconds = self.build(site)  # into the same folder, as a user's next `make build`
        notes = ["processes of a killed build still ran 3 s later (then killed)"] if left else []
        problem = self.failed(result, "rebuild failed") or self.same_as_clean(site) or self.leftovers()
        return Trial(not problem, "; ".join([*notes, problem] if problem else notes), seconds)

    # ------------------------------------------------------------ corrupt

    def warm(self) -> None:
        """The cache as the clean build left it."""
        self.clear_cache()
        shutil.copytree(self.folder / "warm-cache", cache_folder(self.project), symlinks=True)

    def corrupt_round(self, kind: str) -> Trial:
        if kind == "unreadable" and os.geteuid() == 0:
            return Trial(None, "unreadable: skipped, running as root (root reads any file)")
        self.warm()
        candidates = entries(self.project)
        if not candidates:
            return Trial(False, f"{kind}: the warm cache has no JSON entry to corrupt")
        # Each round takes the next entry of one shuffled order, so the rounds spread over the pages.
        if not self.entry_order:
            self.entry_order = [p.relative_to(self.project) for p in candidates]
            self.rng.shuffle(self.entry_order)
        entry = self.project / self.entry_order[self.corrupted % len(self.entry_order)]
        self.corrupted += 1
        CORRUPTIONS[kind](entry, self.rng)
        site = self.site(f"corrupt-{kind}")
        try:
            result, seconds = self.build(site)
        finally:
            _make_removable(entry)
        log = result.stdout + result.stderr
        if result.returncode:
            return Trial(False, self.failed(result, f"{kind}: build failed"))
        problems = []
        if entry.name not in log:
            problems.append(f"{kind}: the log does not name {entry.name}")
        if differs := self.same_as_clean(site):
            problems.append(f"{kind}: {differs}")
        return Trial(not problems, "; ".join(problems), seconds)

    # ------------------------------------------------------------ simultaneous

    def simultaneous_round(self, k: int) -> list[Trial]:
        """k cold builds at once sharing one cache, then one more build from what they left."""
        self.clear_cache()
        runs = []
        for i in range(k):
            site = self.site(f"together-{i}")
            runs.append((site, start_build(self.project, site, self.folder / f"together-{i}.log")))
        trials = []
        for i, (site, process) in enumerate(runs):
            try:
                code = process.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                stop_all(process, self.project)
                code = "timeout"
            log = (self.folder / f"together-{i}.log").read_text(errors="replace")
            problem = f"a build of {k} failed: {self.tail(log)}" if code else self.same_as_clean(site)
            trials.append(Trial(not problem, problem))
        site = self.site("after-together")
        result, _ = self.build(site)
        problem = self.failed(result, f"the build after {k} failed") or self.same_as_clean(site)
        trials.append(Trial(not problem, f"the build after {k}: {problem}" if problem else ""))
        return trials

    # ------------------------------------------------------------ endless block

    def endless_round(self, cap: float) -> Trial:
        """A Markdown block that never ends: the build must fail naming the page, before ``cap`` s."""
        page = exec_page(self.project)
        option = page_limit_option()
        limit = f"{option}: {LIMIT} s set in the copy" if option else "the plugin has no page time limit"
        endless = '\n```python exec="on"\nwhile True:\n    pass\n```\n'
        with edited(page, lambda text: text + endless), plugin_option(self.project, option, LIMIT):
            trial = self.until_failure(page, cap, "endless-block")
        trial.note = f"{trial.note} ({limit})"
        return trial

    def endless_cell_round(self, cap: float) -> Trial:
        """A notebook cell that never ends: the build must fail naming the notebook, having run it once."""
        notebooks = sorted((self.project / "docs").rglob("*.ipynb"))
        if not notebooks:
            return Trial(None, "no notebook in the site")
        runs = self.folder / "cell-runs"
        runs.unlink(missing_ok=True)
        cell = f"with open({str(runs)!r}, 'a') as runs:\n    runs.write('ran\\n')\nwhile True:\n    pass\n"

        def add_cell(text: str) -> str:
            notebook = json.loads(text)
            notebook["cells"].append({"cell_type": "code", "metadata": {}, "source": cell, "outputs": [],
                                      "execution_count": None})  # fmt: skip
            return json.dumps(notebook)

        with edited(notebooks[0], add_cell), plugin_option(self.project, "cell_timeout", LIMIT):
            trial = self.until_failure(notebooks[0], cap, "endless-cell")
        times = len(runs.read_text().splitlines()) if runs.exists() else 0
        if trial.held and times != 1:
            trial.held = False
            trial.note += f"; the endless cell ran {times} times"
        trial.note += f" (cell_timeout: {LIMIT} s set in the copy)"
        return trial

    def until_failure(self, page: Path, cap: float, name: str) -> Trial:
        """Build until it fails or ``cap`` s pass; held if it failed naming ``page``."""
        log_file = self.folder / f"{name}.log"
        start = time.perf_counter()
        process = start_build(self.project, self.site(name), log_file)
        try:
            process.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            stop_all(process, self.project, grace=0)
            return Trial(False, f"no time limit: killed after {cap:.0f} s", time.perf_counter() - start)
        seconds = time.perf_counter() - start
        where = page.relative_to(self.project / "docs").as_posix()
        if process.returncode == 0:
            return Trial(False, "the build succeeded", seconds)
        failure = failure_text(log_file.read_text(errors="replace"))
        lines = len(failure.splitlines())
        said = f"failed after {seconds:.1f} s in {lines} lines"
        if where not in failure:
            return Trial(False, f"{said} not naming {where}: {self.tail(failure)}", seconds)
        if lines > SHORT:
            return Trial(False, f"{said} (more than {SHORT}) naming {where}", seconds)
        return Trial(True, f"{said} naming {where}", seconds)

    # ------------------------------------------------------------ serve

    def serve_round(self) -> Trial:
        """Issue 13's first case: serve keeps a session's variables; the cache must not keep their output."""
        page = exec_page(self.project)
        original = page.read_text(encoding="utf-8")
        defining = '```python exec="on" session="reliability"\nreliability_value = 6 * 7\n```\n'
        printing = (
            '```python exec="on" session="reliability" result="text"\n'
            'print("reliability value:", reliability_value)\n```\n'
        )
        page.write_text(f"{original}\n{defining}\n{printing}", encoding="utf-8")
        name = page.relative_to(self.project / "docs").with_suffix("").as_posix()
        name = "" if name == "index" else name.removesuffix("/index") + "/"
        try:
            log = self.folder / "serve.log"
            with serving(self.project, log) as base:
                url = f"{base}/{name}"
                wait_for(lambda: "reliability value: 42" in get(url), self.timeout, "mkdocs serve")
                seen = log.stat().st_size
                renamed = defining.replace("reliability_value =", "reliability_renamed =")
                page.write_text(f"{original}\n{renamed}\n{printing}", encoding="utf-8")
                # Until the rebuild ends, whether it fails (then nothing new is served) or not.
                ended = ("Documentation built in", "An error happened during the rebuild")
                wait_for(
                    lambda: any(word in log.read_text(errors="replace")[seen:] for word in ended),
                    self.timeout,
                    "the rebuild after the edit",
                )
            result, seconds = self.build(self.site("after-serve"))
        finally:
            page.write_text(original, encoding="utf-8")
        log = result.stdout + result.stderr
        if result.returncode == 0:
            return Trial(False, "make build passed, serving the old value from the cache", seconds)
        if "NameError" not in log:
            return Trial(False, self.failed(result, "make build failed, but not with NameError"), seconds)
        return Trial(True, "", seconds)


# ---------------------------------------------------------------- edits of the copy

SHORT = 20  # lines: at most this many for a failure to count as said "in a few lines" (issue 13)


def failure_text(log: str) -> str:
    """What a failed build says about its failure: its log from the first warning, error or traceback on."""
    found = re.search(r"^(WARNING|ERROR|Traceback)", log, re.M)
    return log[found.start() :].strip() if found else log.strip()


LIMIT = 5  # seconds: the time limit set in a copy for the endless rounds


@contextlib.contextmanager
def edited(path: Path, change: Callable[[str], str]):
    """``path`` changed for the duration of a round."""
    original = path.read_text(encoding="utf-8")
    path.write_text(change(original), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def page_limit_option() -> str | None:
    """The executed-pages option that limits a Markdown page's time, if the plugin has one yet."""
    try:
        from executed_pages.plugin import ExecutedPagesConfig
    except ImportError:
        return None
    names = [name for name, _ in ExecutedPagesConfig._schema if re.search("timeout|limit", name)]
    return next((name for name in names if name != "cell_timeout"), None)


@contextlib.contextmanager
def plugin_option(project: Path, name: str | None, value: object):
    """The executed-pages plugin's option ``name`` set to ``value`` in the copy's mkdocs.yml."""
    if name is None:
        yield
        return

    def change(text: str) -> str:
        found = re.search(r"^([ \t]*)- executed-pages:?[ \t]*\n", text, re.M)
        if found is None:
            raise SystemExit(f"{project / 'mkdocs.yml'} does not use the executed-pages plugin")
        indent = found.group(1)
        option = f"{indent}- executed-pages:\n{indent}    {name}: {value}\n"
        return text[: found.start()] + option + text[found.end() :]

    with edited(project / "mkdocs.yml", change):
        yield


# ---------------------------------------------------------------- corruptions


def _truncated(entry: Path, rng: random.Random) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _garbage(entry: Path, rng: random.Random) -> None:
    entry.write_bytes(rng.randbytes(max(64, min(entry.stat().st_size, 4096))))


def _empty_object(entry: Path, rng: random.Random) -> None:
    entry.write_text("{}")


def _missing_field(entry: Path, rng: random.Random) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    fields = [name for name in data if name != "schema"]
    del data["content" if "content" in data else rng.choice(fields)]
    entry.write_text(json.dumps(data))


def _other_schema(entry: Path, rng: random.Random) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    schema = data.get("schema")
    data["schema"] = schema + 1000 if isinstance(schema, int) else 1000
    entry.write_text(json.dumps(data))


def _directory(entry: Path, rng: random.Random) -> None:
    entry.unlink()
    entry.mkdir()
    (entry / "stray").write_text("a file inside a directory that should have been a file")


def _unreadable(entry: Path, rng: random.Random) -> None:
    entry.chmod(0)


def _make_removable(entry: Path) -> None:
    if entry.exists() and not entry.is_dir():
        entry.chmod(0o644)


CORRUPTIONS: dict[str, Callable[[Path, random.Random], None]] = {
    "truncated": _truncated,
    "garbage bytes": _garbage,
    "{}": _empty_object,
    "missing field": _missing_field,
    "other schema version": _other_schema,
    "directory": _directory,
    "unreadable": _unreadable,
}


# ---------------------------------------------------------------- the run


def table(rows: list[Row]) -> str:
    lines = ["| round | site | held / tried | notes |", "|-------|------|-------------:|-------|"]
    for row in rows:
        count, notes = row.cells()
        lines.append(f"| {row.what} | {row.site} | {count} | {notes} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (under ~2 minutes)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the kill delays and entry choices")
    args = parser.parse_args(argv)
    quick = args.quick
    rng = random.Random(args.seed)
    fixture = FIXTURE_SITE if (FIXTURE_SITE / "mkdocs.yml").is_file() else None
    rows: list[Row] = []

    def record(what: str, lab: Lab, trials: Trial | list[Trial]) -> None:
        row = next((r for r in rows if r.what == what and r.site == lab.label), None)
        if row is None:
            row = Row(what, lab.label)
            rows.append(row)
        for trial in trials if isinstance(trials, list) else [trials]:
            row.trials.append(trial)
            state = {True: "held", False: "NOT HELD", None: "skipped"}[trial.held]
            say(f"  {what} ({lab.label}): {state}{': ' + trial.note if trial.note else ''}")

    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        small = Lab(fixture or ROOT, Path(tmp) / "small", rng, "fixture" if fixture else "real")
        say(f"clean build of the {small.label} site")
        small.clean_build()
        say(f"  cold build: {small.cold:.1f} s")
        record("clean build twice (control)", small, small.control())

        kills = 3 if quick else 6
        for delay in small.kill_delays(kills):
            say(f"kill -9 after {delay:.2f} s, then rebuild")
            record("build killed at a random point, then rebuilt", small, small.kill_round(delay))

        for kind in CORRUPTIONS:
            say(f"corrupt cache entry: {kind}")
            record("corrupt cache entry, then rebuilt", small, small.corrupt_round(kind))

        for k in [3] if quick else [2, 3]:
            say(f"{k} simultaneous builds sharing one cache")
            record("simultaneous builds sharing one cache", small, small.simultaneous_round(k))

        cap = 20.0 if quick else 30.0
        say(f"endless block in {exec_page(small.project).name} (capped at {cap:.0f} s)")
        small.warm()
        record(
            "endless Markdown block: fails in a few lines naming the page", small, small.endless_round(cap)
        )
        say(f"endless notebook cell (capped at {cap:.0f} s)")
        small.warm()
        record(
            "endless notebook cell: fails in a few lines naming it, runs once",
            small,
            small.endless_cell_round(cap),
        )

        say("rename a variable under mkdocs serve, then make build")
        small.warm()
        record("serve kept a renamed variable: make build must fail", small, small.serve_round())

        if fixture is not None:
            # The real site at least once: its clean build, then entries of its
            # cache corrupted and (full run) builds killed.
            real = Lab(ROOT, Path(tmp) / "real", rng, "real")
            say("clean build of the real site")
            real.clean_build()
            say(f"  cold build: {real.cold:.1f} s")
            for kind in ["truncated"] if quick else ["truncated", "missing field"]:
                say(f"real site: corrupt cache entry: {kind}")
                record("corrupt cache entry, then rebuilt", real, real.corrupt_round(kind))
            for delay in [] if quick else real.kill_delays(2):
                say(f"real site: kill -9 after {delay:.2f} s, then rebuild")
                record("build killed at a random point, then rebuilt", real, real.kill_round(delay))

    print(
        f"\nReliability: held / tried, seed {args.seed}, {'quick' if quick else 'full'} run, "
        f"{time.monotonic() - START:.0f} s\n",
        flush=True,
    )
    print(table(rows), flush=True)
    return 1 if any(row.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
