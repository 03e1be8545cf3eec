"""Pages to take away, on the fixture site: notebooks beside the pages that run code, and the report."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from executed_pages.downloads import notebook_path
from executed_pages.report import Row, report_page
from helpers import FIXTURE_SITE, copy_project, mkdocs_build, page_text, replace_in, statuses

pytestmark = pytest.mark.fixture_site

NOTEBOOKS = {
    "alpha.md": "alpha/alpha.ipynb",
    "beta.md": "beta/beta.ipynb",
    "notebook.ipynb": "notebook/notebook.ipynb",
}


def stdout(notebook: dict) -> list[str]:
    """Each code cell's printed text, the install cell's aside."""
    return [
        "".join("".join(o["text"]) for o in cell["outputs"] if o.get("name") == "stdout")
        for cell in notebook["cells"][1:]
        if cell["cell_type"] == "code"
    ]


def read(site: Path, src: str) -> dict:
    return json.loads((site / NOTEBOOKS[src]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture site, with a report page and a GitHub repository, built from nothing."""
    project = copy_project(FIXTURE_SITE, tmp_path_factory.mktemp("downloads") / "project")
    replace_in(
        project / "mkdocs.yml", "  - executed-pages:\n", "  - executed-pages:\n      report: report.md\n"
    )
    replace_in(project / "mkdocs.yml", "  - API: api.md\n", "  - API: api.md\n  - Report: report.md\n")
    replace_in(
        project / "mkdocs.yml",
        "site_name: Fixture\n",
        "site_name: Fixture\nrepo_url: https://github.com/o/n\n",
    )
    result = mkdocs_build(project, project.parent / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return project, project.parent / "site"


def test_where_notebooks_go():
    assert notebook_path("fit.md", "fit/index.html") == "fit/fit.ipynb"
    assert notebook_path("index.md", "index.html") == "index.ipynb"
    assert notebook_path("api/index.md", "api/index.html") == "api/index.ipynb"
    assert notebook_path("end-to-end.ipynb", "end-to-end/index.html") == "end-to-end/end-to-end.ipynb"
    assert notebook_path("fit.md", "fit.html") == "fit.ipynb"  # use_directory_urls: false


def test_pages_that_run_code_and_only_they_get_a_valid_notebook(cold):
    _, site = cold
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*.ipynb")) == sorted(NOTEBOOKS.values())
    for path in NOTEBOOKS.values():
        nbformat.validate(nbformat.read(site / path, as_version=4))


def test_a_markdown_page_notebook_holds_what_its_blocks_printed(cold):
    _, site = cold
    alpha = read(site, "alpha.md")
    assert stdout(alpha) == ["double: 42\n", "still here: 43\n", "<p id='made-by-code'>made by code</p>\n"]
    install = "".join(alpha["cells"][0]["source"])
    # No git checkout here: the default branch, and the notebook says so.
    assert 'pip_install("tinypkg @ git+https://github.com/o/n")' in install
    assert "outside a git checkout" in install
    assert "https://example.org/fixture/alpha/" in install  # the page it was made from


def test_a_notebook_page_download_is_its_executed_copy_after_an_install_cell(cold):
    project, site = cold
    notebook = read(site, "notebook.ipynb")
    source = nbformat.read(project / "docs" / "notebook.ipynb", as_version=4)
    assert ["".join(c["source"]) for c in notebook["cells"][1:]] == [c.source for c in source.cells]
    assert "total: 10\n" in stdout(notebook)


def test_pages_from_the_cache_give_the_same_notebooks(cold, tmp_path):
    project, site = cold
    again = mkdocs_build(project, tmp_path / "again")
    assert again.returncode == 0, again.stderr[-3000:]
    assert set(statuses(again.stderr).values()) == {"hit"}
    for path in NOTEBOOKS.values():
        assert (tmp_path / "again" / path).read_bytes() == (site / path).read_bytes()


def test_a_prose_edit_reaches_the_notebook_with_the_stored_outputs(cold, tmp_path):
    project = copy_project(cold[0], tmp_path / "project", cache=True)
    replace_in(project / "docs" / "alpha.md", "Prose between the blocks.", "Prose, edited.")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert statuses(result.stderr)["alpha.md"] == "prose"
    alpha = read(tmp_path / "site", "alpha.md")
    assert any("Prose, edited." in "".join(c["source"]) for c in alpha["cells"])
    assert stdout(alpha) == stdout(read(cold[1], "alpha.md"))


def test_the_report_page_lists_every_executed_page(cold):
    _, site = cold
    text = " ".join(page_text(site, "report").split())
    for title, made in [
        ("Alpha", "ran"),
        ("Beta", "ran"),
        ("Notebook", "ran in a Jupyter kernel"),
        ("API", "ran"),
    ]:
        assert f"{title} {made}" in text
    assert "Python" in text and "built with" in text  # no commit outside a checkout


def test_without_notebooks_none_are_written(cold, tmp_path):
    project = copy_project(cold[0], tmp_path / "project", cache=True)
    replace_in(
        project / "mkdocs.yml",
        "      report: report.md\n",
        "      report: report.md\n      notebooks: false\n",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert list((tmp_path / "site").rglob("*.ipynb")) == []


def test_the_report_as_markdown():
    rows = [
        Row("fit.md", 0.01, "hit", "here"),
        Row("nb/e.ipynb", 3.0, "miss", "kernel"),
        Row("a.md", 0.2, "prose"),
    ]
    page = report_page(
        rows,
        {"fit.md": "Fit | best", "nb/e.ipynb": "E"},
        "Python 3.11.7",
        "[`abc`](https://x/commit/abc)",
        {"fit.md": 4.25, "nb/e.ipynb": 3.0, "a.md": 1.0},
        at="about/report.md",
    )
    assert "The site was built from commit [`abc`](https://x/commit/abc) with Python 3.11.7." in page
    assert (
        "| [Fit \\| best](../fit.md) | from the cache | 4.2 s |" in page
    )  # the time of the run it came from
    assert "| [E](../nb/e.ipynb) | ran in a Jupyter kernel | 3.0 s |" in page
    assert "| [a.md](../a.md) | prose only: stored outputs | 1.0 s |" in page
