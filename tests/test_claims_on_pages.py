"""Sentences about computed results are checked where they stand, by the build.

A page guards such a sentence with `claim(...)` in a hidden block right after it
(a notebook: a cell tagged ``hide_cell``). A claim that no longer holds must stop
``mkdocs build``, quoting the sentence and naming the page and line; and every
page of the "Going further" section, which goes past the example into claims of
its own, guards at least one.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, mkdocs_build

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```+python (?P<options>[^\n]*)\n(?P<code>.*?)^(?P=indent)```", re.M | re.S
)


def guarded_claims(page: Path) -> int:
    """How many `claim(...)` calls a page makes where the reader does not see them."""
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        return sum(
            "".join(cell["source"]).count("claim(")
            for cell in cells
            if cell["cell_type"] == "code" and "hide_cell" in cell.get("metadata", {}).get("tags", [])
        )
    return sum(
        match["code"].count("claim(")
        for match in FENCE.finditer(text)
        if 'exec="on"' in match["options"]
        and "source=" not in match["options"]
        and "result=" not in match["options"]
    )


def nav_section(title: str) -> list[str]:
    """The pages listed under a top-level section of mkdocs.yml's nav."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    for entry in nav:
        if isinstance(entry, dict) and title in entry:
            return [page if isinstance(page, str) else next(iter(page.values())) for page in entry[title]]
    raise AssertionError(f"no section {title!r} in mkdocs.yml's nav")


GOING_FURTHER = nav_section("Going further")


@pytest.mark.parametrize("page", GOING_FURTHER)
def test_every_page_going_further_guards_a_claim(page):
    count = guarded_claims(ROOT / "docs" / page)
    print(f"{page}: {count} guarded claims")
    assert count >= 1, f"{page} guards none of its sentences about computed results with claim(...)"


def test_the_count_of_guarded_claims_per_page(capsys):
    """Not a threshold: the table a reviewer reads (pytest -s shows it)."""
    pages = sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "docs").glob("*.ipynb"))
    counts = {page.name: guarded_claims(page) for page in pages}
    with capsys.disabled():
        print("\nguarded claims per page:")
        for name, count in counts.items():
            print(f"  {name:24} {count}")
    assert sum(counts.values()) > 0


PAGE = textwrap.dedent(
    """\
    # A claim

    One is {relation} than two.

    ```python exec="on" session="claim"
    from sgd_tutorial import claim

    claim("one is {relation} than two", 1 {operator} 2)
    ```
    """
)


def tiny_site(root: Path, relation: str, operator: str) -> Path:
    """The project's own build set-up (plugins, hooks, extensions) around one page."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [{"A claim": "claim.md"}]
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "executed-pages" in plugin:
            plugin["executed-pages"].pop("report", None)  # one page: no report page to list in nav
    config["hooks"] = [str((ROOT / hook).resolve()) for hook in config.get("hooks", [])]
    if "custom_dir" in config.get("theme", {}):
        config["theme"]["custom_dir"] = str((ROOT / config["theme"]["custom_dir"]).resolve())
    for key in ("watch", "extra_css", "extra_javascript", "exclude_docs"):
        config.pop(key, None)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "claim.md").write_text(
        PAGE.format(relation=relation, operator=operator), encoding="utf-8"
    )
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


@pytest.mark.site
def test_a_false_claim_fails_the_build_quoting_it_with_page_and_line(tmp_path):
    project = tiny_site(tmp_path / "false", "larger", ">")
    result = mkdocs_build(project, tmp_path / "false-site")
    assert result.returncode != 0, result.stderr[-3000:]
    lines = (project / "docs" / "claim.md").read_text().splitlines()
    line = lines.index("from sgd_tutorial import claim") + 1
    message = rf"claim\.md:{line}: code block raised (sgd_tutorial\.claims\.)?ClaimError"
    assert re.search(message, result.stderr), result.stderr[-3000:]
    assert 'claim no longer holds: "one is larger than two"' in result.stderr


@pytest.mark.site
def test_the_same_page_with_a_true_claim_builds(tmp_path):
    project = tiny_site(tmp_path / "true", "smaller", "<")
    result = mkdocs_build(project, tmp_path / "true-site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = tmp_path / "true-site" / "claim" / "index.html"
    assert "One is smaller than two." in page.read_text(encoding="utf-8")
