"""Part of `make bench`: the build's promises tried as a hostile user would, on the fixture site.

Counts, as held / tried:

- builds killed (SIGKILL) at random points, then rebuilt: the rebuild is
  byte-identical to a clean build;
- corrupt cache entries (truncated, garbage, wrong shape, a partial file left
  behind): the build succeeds and is identical to a clean build;
- pairs of builds at once on one project and cache: both succeed, both identical;
- an endless block with a 5 s limit: the build fails naming the limit; the time
  it took is reported.

Run alone: `.venv/bin/python tests/reliability.py`.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import CACHE, FIXTURE_SITE, copy_project, differences, mkdocs_args, project_env, replace_in


def start_build(project: Path, site: Path) -> subprocess.Popen:
    command = [sys.executable, *mkdocs_args(), "build", "--strict", "-d", str(site)]
    return subprocess.Popen(
        command,
        cwd=project,
        env=project_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    process = start_build(project, site)
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def same_as(reference: Path, result: subprocess.CompletedProcess, site: Path) -> bool:
    return result.returncode == 0 and differences(reference, site) == []


def killed_builds(tmp: Path, reference: Path, cold_seconds: float, tries: int) -> int:
    held = 0
    for i in range(tries):
        project = copy_project(FIXTURE_SITE, tmp / f"killed{i}")
        process = start_build(project, tmp / f"killed{i}-partial")
        time.sleep(random.uniform(0.2, cold_seconds))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        held += same_as(reference, build(project, tmp / f"killed{i}-site"), tmp / f"killed{i}-site")
    return held


CORRUPTIONS = {
    "truncated": lambda text: text[: len(text) // 2],
    "garbage": lambda text: "\x00\xff not json",
    "empty object": lambda text: "{}",
    "a list": lambda text: "[]",
    "a missing field": lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "blocks"}),
    "a field of the wrong type": lambda text: json.dumps(dict(json.loads(text), toc="x")),
}


def corrupt_entries(tmp: Path, warm: Path, reference: Path) -> tuple[int, int]:
    held = tried = 0
    for name, corrupt in CORRUPTIONS.items():
        project = copy_project(warm, tmp / f"corrupt-{name}", cache=True)
        entry = project / CACHE / "alpha.md.json"
        entry.write_text(corrupt(entry.read_text()))
        tried += 1
        held += same_as(reference, build(project, tmp / f"corrupt-{name}-site"), tmp / f"corrupt-{name}-site")
    project = copy_project(warm, tmp / "leftover", cache=True)
    (project / CACHE / "beta.md.json.999999.part").write_text('{"half":')
    tried += 1
    result = build(project, tmp / "leftover-site")
    held += same_as(reference, result, tmp / "leftover-site") and not list((project / CACHE).glob("*.part"))
    return held, tried


def simultaneous_builds(tmp: Path, reference: Path, pairs: int) -> int:
    held = 0
    for i in range(pairs):
        project = copy_project(FIXTURE_SITE, tmp / f"pair{i}")
        sites = [tmp / f"pair{i}-a", tmp / f"pair{i}-b"]
        processes = [start_build(project, site) for site in sites]
        codes = [process.wait(timeout=600) for process in processes]
        held += codes == [0, 0] and all(differences(reference, site) == [] for site in sites)
    return held


def endless_block(tmp: Path) -> tuple[bool, float]:
    project = copy_project(FIXTURE_SITE, tmp / "endless")
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      page_timeout: 5")
    page = project / "docs" / "alpha.md"
    page.write_text(page.read_text() + '\n```python exec="on"\nwhile True:\n    pass\n```\n')
    start = time.perf_counter()
    result = build(project, tmp / "endless-site")
    seconds = time.perf_counter() - start
    return result.returncode != 0 and "still running after 5 s" in result.stderr, seconds


def main(runs: int = 5) -> list[tuple[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        warm = copy_project(FIXTURE_SITE, tmp / "reference")
        start = time.perf_counter()
        first = build(warm, tmp / "reference-site")
        cold_seconds = time.perf_counter() - start
        if first.returncode:
            sys.exit("the fixture site does not build:\n" + first.stderr[-2000:])
        reference = tmp / "reference-site"
        killed = killed_builds(tmp, reference, cold_seconds, runs)
        rows.append(
            ("builds killed at random points, then rebuilt: identical to a clean build", f"{killed} / {runs}")
        )
        held, tried = corrupt_entries(tmp, warm, reference)
        rows.append(
            (
                "corrupt cache entries and leftover partial files: build succeeds, identical",
                f"{held} / {tried}",
            )
        )
        pairs = max(2, runs // 2)
        rows.append(
            (
                "pairs of simultaneous builds: both succeed, both identical",
                f"{simultaneous_builds(tmp, reference, pairs)} / {pairs}",
            )
        )
        failed, seconds = endless_block(tmp)
        rows.append(
            (
                f"an endless block (limit 5 s) fails the build naming the limit, in {seconds:.1f} s",
                f"{int(failed)} / 1",
            )
        )
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(what) for what, _ in rows)
    print(f"\nReliability, on tests/fixture_site\n\n| {'what':<{width}} | held / tried |")
    print(f"|{'-' * (width + 2)}|--------------|")
    for what, count in rows:
        print(f"| {what:<{width}} | {count:>12} |")


if __name__ == "__main__":
    print_table(main())
