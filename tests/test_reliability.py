"""tests/reliability.py's rounds, once each on the fixture site, and its corruptions and config reading."""

from __future__ import annotations

import json
import random

import pytest

import reliability
from helpers import FIXTURE_SITE


def _entry(tmp_path):
    entry = tmp_path / "page.md.json"
    entry.write_text(json.dumps({"schema": 1, "key": "k", "content": "<p>page</p>", "blocks": []}))
    return entry


@pytest.mark.parametrize("kind", [kind for kind in reliability.CORRUPTIONS if kind != "unreadable"])
def test_each_corruption_leaves_no_snapshot_a_reader_could_take_for_the_original(tmp_path, kind):
    entry = _entry(tmp_path)
    original = json.loads(entry.read_text())
    reliability.CORRUPTIONS[kind](entry, random.Random(0))
    if entry.is_dir():
        return
    try:
        data = json.loads(entry.read_bytes())
    except ValueError:
        return
    assert data != original
    assert data == {} or data.get("schema") != original["schema"] or "content" not in data


def test_the_cache_folder_is_the_plugins_cache_dir_else_dot_cache(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - executed-pages:\n      package: p\n      cache_dir: build/pages\n"
    )
    assert reliability.cache_folder(tmp_path) == tmp_path / "build" / "pages"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - executed-pages:\n      package: p\n")
    assert reliability.cache_folder(tmp_path) == tmp_path / ".cache"


def test_a_site_that_differs_from_the_clean_build_is_reported_but_not_for_its_execution_report(tmp_path):
    lab = reliability.Lab.__new__(reliability.Lab)
    lab.reference, other = tmp_path / "clean", tmp_path / "other"
    lab.report = "execution-report/index.html"
    for site in (lab.reference, other):
        for page in ("page", "execution-report"):
            (site / page).mkdir(parents=True)
            (site / page / "index.html").write_text("<p>42</p>")
    assert lab.same_as_clean(other) == ""
    # The report says which pages ran: a rebuild's differs from a clean build's.
    (other / "execution-report" / "index.html").write_text("<p>from the cache</p>")
    assert lab.same_as_clean(other) == ""
    (other / "page" / "index.html").write_text("<p>43</p>")
    assert lab.same_as_clean(other) == "1 files differ from a clean build (page/index.html)"


def test_the_report_is_found_where_mkdocs_yml_puts_it(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - executed-pages:\n      report: runs.md\n")
    assert reliability.report_html(tmp_path) == "runs/index.html"
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - executed-pages:\n      package: x\n")
    assert reliability.report_html(tmp_path) is None


@pytest.mark.site
def test_a_killed_build_and_a_truncated_entry_leave_the_fixture_site_as_a_clean_build_makes_it(tmp_path):
    lab = reliability.Lab(FIXTURE_SITE, tmp_path / "lab", random.Random(13), "fixture")
    lab.clean_build()
    killed = lab.kill_round(lab.cold / 3)
    assert killed.held, killed.note
    corrupt = lab.corrupt_round("truncated")
    assert corrupt.held, corrupt.note


def test_a_failure_names_the_page_only_if_its_message_does_not_an_info_line():
    log = (
        "INFO    -  Running notebook.ipynb in a kernel of its own\n"
        "ERROR   -  beta.md:12: code block raised ZeroDivisionError: division by zero\n"
        "  line 1: 1/0\n"
    )
    failure = reliability.failure_text(log)
    assert "beta.md:12" in failure
    assert "notebook.ipynb" not in failure
