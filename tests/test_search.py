"""Material's search entries of unchanged pages, kept across rebuilds in one process (search.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import FIXTURE_SITE, build, mkdocs_build, replace_in

CONFIG = """\
site_name: Search
theme: material
plugins:
  - search
  - executed-pages:
      package: tinypkg
"""


def material_site(tmp_path: Path) -> Path:
    """Two pages without code, with Material's search and the plugin."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n\nWelcome.\n\n## Part\n\nA part about steps.\n")
    (project / "docs" / "other.md").write_text("# Other\n\nText about losses.\n")
    shutil.copytree(FIXTURE_SITE / "src", project / "src")  # the plugin's package
    (project / "mkdocs.yml").write_text(CONFIG)
    return project


def entries(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text())["docs"]


def reused(project: Path) -> int:
    """How many pages' kept entries the latest build in this process used."""
    from mkdocs.config import load_config

    # MkDocs keeps one instance of the plugin per process (it defines on_startup).
    return load_config(str(project / "mkdocs.yml")).plugins["executed-pages"].search.reused


def test_a_rebuild_reuses_the_entries_of_unchanged_pages_and_indexes_what_changed(tmp_path):
    project = material_site(tmp_path)
    first = build(project, tmp_path / "first")
    second = build(project, tmp_path / "second")
    assert first.ok and second.ok, second.log
    assert reused(project) == 2
    assert entries(second.site) == entries(first.site)

    replace_in(project / "docs" / "other.md", "about losses", "about the losses of a model")
    # Front matter is not in the HTML; it can still change the entries (a boost).
    replace_in(project / "docs" / "index.md", "# Home", "---\nsearch:\n  boost: 2\n---\n# Home")
    third = build(project, tmp_path / "third")
    assert third.ok, third.log
    assert reused(project) == 0
    clean = mkdocs_build(project, tmp_path / "clean")  # a process of its own: nothing kept
    assert clean.returncode == 0, clean.stderr[-2000:]
    assert entries(third.site) == entries(tmp_path / "clean")
    texts = " ".join(entry["text"] for entry in entries(third.site))
    assert "about the losses of a model" in texts
    assert {entry.get("boost") for entry in entries(third.site) if entry["location"].startswith("#")} == {2}
