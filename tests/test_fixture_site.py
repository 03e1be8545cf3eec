"""The executed-pages plugin on a small site (tests/fixture_site): never stale, loud and short, reproducible.

Builds run inside the test process (``helpers.build``), which takes a fraction
of a second for a site whose pages are cached; the few behaviours that need a
process of their own (exit status, ``-q``, a killed build, ``mkdocs serve``) are
in ``test_fixture_site_processes.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import (
    CACHE,
    FIXTURE_SITE,
    Build,
    add_block,
    add_cell,
    assert_same_as_cold,
    assert_short,
    build,
    cold_build,
    copy_project,
    differences,
    replace_in,
)

pytestmark = pytest.mark.fixture_site

EXECUTED = {"alpha.md", "beta.md", "api.md", "notebook.ipynb"}


# ---------------------------------------------------------------- what runs, and when


def test_a_cold_build_runs_every_executed_page_and_shows_their_outputs(cold):
    _, result = cold
    assert result.statuses == dict.fromkeys(EXECUTED, "miss")
    assert "double: 42" in result.text("alpha") and "still here: 43" in result.text("alpha")
    assert "quadruple: 20" in result.text("beta")
    assert "total: 10" in result.text("notebook")
    api = (result.site / "api" / "index.html").read_text()
    assert 'id="tinypkg.beta.quadruple"' in api
    # The autorefs link on the beta page points at the documented object's anchor.
    assert 'href="../api/#tinypkg.beta.quadruple"' in (result.site / "beta" / "index.html").read_text()


def test_nothing_changed_means_every_page_comes_from_the_cache_unchanged(cold, project, tmp_path):
    again = build(project, tmp_path / "again")
    assert again.ok, again.log
    assert again.statuses == dict.fromkeys(EXECUTED, "hit")
    assert differences(again.site, cold[1].site) == []


def test_a_code_edit_runs_that_page_only(project, tmp_path):
    replace_in(project / "docs" / "alpha.md", "value = double(21)", "value = double(7)")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == {"alpha.md": "miss", "beta.md": "hit", "api.md": "hit", "notebook.ipynb": "hit"}
    assert "double: 14" in result.text("alpha") and "still here: 15" in result.text("alpha")


def test_a_module_change_runs_only_the_pages_that_use_it(project, tmp_path):
    replace_in(
        project / "src" / "tinypkg" / "beta.py", "return double(double(x))", "return double(double(x)) + 1"
    )
    replace_in(project / "src" / "tinypkg" / "beta.py", "Four times x.", "Four times x, plus one.")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == {
        "alpha.md": "hit",
        "beta.md": "miss",
        "api.md": "miss",
        "notebook.ipynb": "hit",
    }
    assert "quadruple: 21" in result.text("beta")
    assert "Four times x, plus one." in result.text("api")


def test_a_change_to_a_module_imported_by_another_runs_the_pages_of_both(project, tmp_path):
    replace_in(project / "src" / "tinypkg" / "alpha.py", "OFFSET = 0", "OFFSET = 1")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == dict.fromkeys(EXECUTED, "miss")
    assert "double: 43" in result.text("alpha")
    assert "quadruple: 23" in result.text("beta")  # double(double(5)) with the offset: 2 * 11 + 1
    assert "total: 11" in result.text("notebook")
    assert_same_as_cold(result, project, tmp_path)


def test_a_different_installed_version_runs_every_page(project, tmp_path):
    # The key reads the dist-info folders on sys.path; the project's src is on it.
    (project / "src" / "somelib-2.0.dist-info").mkdir()
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == dict.fromkeys(EXECUTED, "miss")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("site_name: Fixture", "site_name: Fixture renamed"),
        ("package: tinypkg", "package: tinypkg\n      cell_timeout: 60"),
    ],
    ids=["mkdocs.yml", "the plugin's settings"],
)
def test_a_config_change_runs_every_page(project, tmp_path, old, new):
    replace_in(project / "mkdocs.yml", old, new)
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == dict.fromkeys(EXECUTED, "miss")


def test_a_prose_edit_puts_the_stored_outputs_back_without_running_the_code(project, tmp_path):
    replace_in(project / "docs" / "alpha.md", "Prose between the blocks.", "Other prose between the blocks.")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses["alpha.md"] == "prose"
    assert "Other prose between the blocks." in result.text("alpha")
    assert_same_as_cold(result, project, tmp_path)


def test_a_prose_edit_does_not_run_the_blocks(project, tmp_path):
    # A block that writes a file when it runs: after a prose-only edit the file must not appear.
    marker = tmp_path / "ran"
    block = f'```python exec="on"\nopen({str(marker)!r}, "w").close()\n```\n'
    page = project / "docs" / "beta.md"
    page.write_text(page.read_text() + "\n" + block)
    assert build(project, tmp_path / "first").ok
    assert marker.exists()
    marker.unlink()
    replace_in(page, "# Beta", "# Beta, retitled")
    result = build(project, tmp_path / "second")
    assert result.statuses["beta.md"] == "prose"
    assert not marker.exists(), "the block ran again after a prose-only edit"


def test_rebuilt_in_one_process_a_prose_edit_reaches_the_notebook_and_no_other_notebook_changes(
    project, tmp_path
):
    # As under `mkdocs serve`: the plugin instance, and the notebooks it made, outlive a build.
    first = build(project, tmp_path / "first")
    replace_in(project / "docs" / "alpha.md", "Prose between the blocks.", "Prose, edited.")
    second = build(project, tmp_path / "second")
    assert first.ok and second.ok, second.log
    assert "Prose, edited." not in (first.site / "alpha" / "alpha.ipynb").read_text()
    assert "Prose, edited." in (second.site / "alpha" / "alpha.ipynb").read_text()
    for unchanged in ["beta/beta.ipynb", "notebook/notebook.ipynb"]:
        assert (second.site / unchanged).read_bytes() == (first.site / unchanged).read_bytes(), unchanged


def test_editing_a_content_shaping_hook_reruns_no_page(project, tmp_path):
    replace_in(project / "hooks" / "mark_pages.py", "marked by a hook", "marked again by a hook")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert result.statuses == dict.fromkeys(EXECUTED, "hit")
    assert "marked again by a hook" in result.text("alpha")  # the hook applies to stored pages too


def test_the_entry_of_a_removed_page_is_deleted(project, tmp_path):
    (project / "docs" / "beta.md").unlink()
    replace_in(project / "mkdocs.yml", "  - Beta: beta.md\n", "")
    replace_in(project / "docs" / "index.md", " and [beta](beta.md)", "")
    replace_in(project / "docs" / "api.md", "::: tinypkg.beta", "::: tinypkg.alpha")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert sorted(p.name for p in (project / CACHE).glob("*.json")) == [
        "alpha.md.json",
        "api.md.json",
        "notebook.ipynb.json",
    ]


def test_a_change_to_an_included_file_runs_the_page_that_includes_it(project, tmp_path):
    (project / "includes").mkdir()
    (project / "includes" / "factor.py").write_text("FACTOR = 3\n")
    page = project / "docs" / "beta.md"
    block = '```python exec="on" result="text"\n--8<-- "includes/factor.py"\nprint("factor:", FACTOR)\n```\n'
    page.write_text(page.read_text() + "\n" + block)
    first = build(project, tmp_path / "first")
    assert first.ok, first.log
    assert "factor: 3" in first.text("beta")
    (project / "includes" / "factor.py").write_text("FACTOR = 4\n")
    second = build(project, tmp_path / "second")
    assert second.ok, second.log
    assert second.statuses == {"alpha.md": "hit", "beta.md": "miss", "api.md": "hit", "notebook.ipynb": "hit"}
    assert "factor: 4" in second.text("beta")
    assert_same_as_cold(second, project, tmp_path)


def test_a_matplotlibrc_in_the_project_runs_every_page_again(project, tmp_path):
    code = 'import matplotlib\nprint("linewidth:", matplotlib.rcParams["lines.linewidth"])'
    block = f'```python exec="on" result="text"\n{code}\n```\n'
    page = project / "docs" / "alpha.md"
    page.write_text(page.read_text() + "\n" + block)
    first = build(project, tmp_path / "first")
    assert first.ok, first.log
    (project / "matplotlibrc").write_text("lines.linewidth: 7\n")
    second = build(project, tmp_path / "second")
    assert second.ok, second.log
    assert second.statuses == dict.fromkeys(EXECUTED, "miss")
    assert "linewidth: 7.0" in second.text("alpha") and "linewidth: 7.0" not in first.text("alpha")
    assert_same_as_cold(second, project, tmp_path)


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(
    ("code", "raised", "line"),
    [
        ("x = 1\nx / 0", "ZeroDivisionError: division by zero", "line 2: x / 0"),
        ("import sys\nsys.exit(3)", "SystemExit: 3", "line 2: sys.exit(3)"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt", "line 1: raise KeyboardInterrupt"),
    ],
    ids=["exception", "SystemExit", "KeyboardInterrupt"],
)
def test_a_block_that_raises_fails_the_build_naming_page_and_line_and_is_not_stored(
    project, tmp_path, code, raised, line
):
    first_line = add_block(project, "alpha.md", code)
    for attempt in range(2):  # nothing was stored: the second build fails the same way
        result = build(project, tmp_path / f"site{attempt}")
        assert not result.ok
        assert f"alpha.md:{first_line}: code block raised {raised}" in result.log
        assert line in result.log
        assert_short(result.log, project)
        assert not (project / CACHE / "alpha.md.json").exists()


def test_a_cell_that_raises_fails_the_build_naming_page_and_cell_and_runs_once(project, tmp_path):
    runs = tmp_path / "runs"
    number = add_cell(project, f"open({str(runs)!r}, 'a').write('ran\\n')\nraise ValueError('injected')")
    for attempt in range(2):
        result = build(project, tmp_path / f"site{attempt}")
        assert not result.ok
        assert f"notebook.ipynb: cell {number} raised ValueError: injected" in result.log
        assert "line 2: raise ValueError('injected')" in result.log
        assert_short(result.log, project)
        assert not (project / CACHE / "notebook.ipynb.json").exists()
        assert runs.read_text() == "ran\n" * (attempt + 1), "the failed notebook ran twice in one build"


def test_a_kernel_that_dies_fails_the_build_naming_the_notebook(project, tmp_path):
    add_cell(project, "import os\nos._exit(1)")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "notebook.ipynb: the notebook's kernel died" in result.log
    assert_short(result.log, project)


def test_an_unreadable_notebook_fails_the_build_naming_it(project, tmp_path):
    (project / "docs" / "notebook.ipynb").write_text('{"cells": [')
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "notebook.ipynb: cannot read the notebook" in result.log
    assert_short(result.log, project)


def test_a_block_that_runs_too_long_fails_the_build_naming_page_line_and_limit(project, tmp_path):
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      page_timeout: 2")
    first_line = add_block(project, "alpha.md", "while True:\n    pass")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert f"alpha.md:{first_line}: still running after 2 s, the time limit for a page's code" in result.log
    assert_short(result.log, project)
    assert not (project / CACHE / "alpha.md.json").exists()


def test_a_cell_that_runs_too_long_fails_the_build_naming_page_cell_and_limit(project, tmp_path):
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      cell_timeout: 2")
    number = add_cell(project, "import time\ntime.sleep(120)")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert f"notebook.ipynb: cell {number} still running after 2 s, the time limit per cell" in result.log
    assert_short(result.log, project)


# ---------------------------------------------------------------- a cache that heals itself


@pytest.mark.parametrize(
    "content",
    [
        "TRUNCATED",
        b"\x00\xff garbage",
        "{}",
        "[]",
        "MISSING_FIELD",
        "WRONG_TYPE",
        "DIRECTORY",
    ],
    ids=[
        "truncated",
        "garbage",
        "empty object",
        "a list",
        "a missing field",
        "a field of the wrong type",
        "a directory",
    ],
)
def test_a_corrupt_entry_is_discarded_with_one_line_and_the_page_runs_again(cold, project, tmp_path, content):
    entry = project / CACHE / "alpha.md.json"
    stored = json.loads(entry.read_text())
    if content == "TRUNCATED":
        content = entry.read_text()[: len(entry.read_text()) // 2]
    elif content == "MISSING_FIELD":
        content = json.dumps({k: v for k, v in stored.items() if k != "blocks"})
    elif content == "WRONG_TYPE":
        content = json.dumps(dict(stored, toc="not a list"))
    if content == "DIRECTORY":
        entry.unlink()
        (entry / "inside").mkdir(parents=True)
    else:
        (entry.write_bytes if isinstance(content, bytes) else entry.write_text)(content)
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    said = [line for line in result.log.splitlines() if "alpha.md.json" in line]
    assert len(said) == 1 and "unreadable cache entry" in said[0], result.log
    assert result.statuses["alpha.md"] == "miss"
    assert json.loads(entry.read_text())["key"] == stored["key"]  # stored again, whole
    assert differences(result.site, cold[1].site) == []  # the same sources as the cold build


def test_partial_files_left_by_a_stopped_build_are_removed(project, tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    leftover = project / CACHE / f"alpha.md.json.{dead.stdout.strip()}.part"
    leftover.write_text('{"half": ')
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert not leftover.exists()
    assert result.statuses["alpha.md"] == "hit"


def test_a_cache_folder_that_cannot_be_written_means_no_cache_not_a_failure(project, tmp_path):
    (project / "blocked").write_text("a file where the cache folder should be")
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      cache_dir: blocked/cache")
    result = build(project, tmp_path / "site")
    assert result.ok, result.log
    assert "cannot write the cache folder blocked/cache" in result.log
    assert result.statuses == dict.fromkeys(EXECUTED, "miss")


def test_a_poll_interval_that_is_not_above_zero_fails_the_build_naming_it(project, tmp_path):
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      poll_interval: 0")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "executed-pages: poll_interval must be seconds > 0, not 0" in result.log


def test_clean_builds_at_two_paths_are_byte_identical(cold, tmp_path):
    other = copy_project(FIXTURE_SITE, tmp_path / "somewhere" / "else")
    result = build(other, tmp_path / "site")
    assert result.ok, result.log
    assert differences(result.site, cold[1].site) == []
    for page in result.site.rglob("*.html"):
        text = page.read_text()
        assert str(other) not in text and str(cold[0]) not in text, page


# ---------------------------------------------------------------- state between pages

LEAKY = """# Leaky

```python exec="on"
import os, random
import matplotlib
import numpy
import tinypkg.alpha

os.chdir("/")
random.seed(1234)
numpy.set_printoptions(precision=2)
matplotlib.rcParams["lines.linewidth"] = 9
tinypkg.alpha.OFFSET = 100
```
"""

PROBE = """# Probe

```python exec="on" result="text"
import os, random
import matplotlib
import numpy
from tinypkg import double

print("cwd is the project:", os.path.isfile("mkdocs.yml"))
print("random:", random.random())
print("numpy:", numpy.array([1 / 3]), numpy.random.random())
print("linewidth:", matplotlib.rcParams["lines.linewidth"])
print("double(1):", double(1))
```
"""


def test_what_one_page_changes_does_not_reach_the_next(project, tmp_path):
    # leaky.md is rendered before probe.md; probe.md must show what it shows alone.
    (project / "docs" / "probe.md").write_text(PROBE)
    replace_in(project / "mkdocs.yml", "  - API: api.md\n", "  - API: api.md\n  - Probe: probe.md\n")
    alone = cold_build(project, tmp_path / "alone")
    assert alone.ok, alone.log
    (project / "docs" / "leaky.md").write_text(LEAKY)
    replace_in(project / "mkdocs.yml", "  - Probe: probe.md\n", "  - Leaky: leaky.md\n  - Probe: probe.md\n")
    after_leaky = cold_build(project, tmp_path / "after")
    assert after_leaky.ok, after_leaky.log

    def printed(result: Build) -> list[str]:
        prefixes = ("cwd is the project:", "random:", "numpy:", "linewidth:", "double(1):")
        return [
            line.strip() for line in result.text("probe").splitlines() if line.strip().startswith(prefixes)
        ]

    assert len(printed(alone)) == 5
    assert "double(1): 2" in printed(alone) and "cwd is the project: True" in printed(alone)
    assert printed(after_leaky) == printed(alone)
