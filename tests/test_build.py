"""The real site's build, a few smoke builds (the plugin's behaviour is tested on tests/fixture_site)."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT, mkdocs_build, page_text, replace_in, statuses

pytestmark = pytest.mark.site


def test_a_module_change_reruns_only_the_pages_that_use_it(site, project_copy, tmp_path):
    # project_copy starts from the cache the `site` fixture left: every page is stored.
    replace_in(
        project_copy / "src" / "sgd_tutorial" / "autograd.py",
        "Nodes are the ``grad_fn`` objects",
        "Nodes (changed by the test) are the ``grad_fn`` objects",
    )
    after = mkdocs_build(project_copy, tmp_path / "after")
    assert after.returncode == 0, after.stderr[-3000:]
    run = {page for page, status in statuses(after.stderr).items() if status != "hit"}
    assert run == {"inside-backprop.md", "api/figures.md"}  # the two pages that use autograd.py
    assert "Nodes (changed by the test)" in page_text(tmp_path / "after", "api/figures")
    # The pages kept from the cache are those of the session's build.
    for page in ("gradients", "end-to-end", "sgd"):
        html = (tmp_path / "after" / page / "index.html").read_bytes()
        assert html == (site / page / "index.html").read_bytes(), page


def test_broken_links_and_missing_images_fail_the_build(project_copy, tmp_path):
    problems = {
        "See [this page](no-such-page.md).": "'summary.md' contains a link 'no-such-page.md'",
        "![a figure](figures/missing.svg)": "'summary.md' contains a link 'figures/missing.svg'",
        "See [a section](gradients.md#nowhere).": "'summary.md' contains a link 'gradients.md#nowhere'",
    }
    page = project_copy / "docs" / "summary.md"
    page.write_text(page.read_text() + "\n" + "\n\n".join(problems) + "\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for message in problems.values():
        assert message in output, output
    assert str(project_copy) not in output, output


def test_built_pages_hold_no_path_of_the_build_machine_or_memory_address(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert str(ROOT) not in text and "/tmp/" not in text, page
        assert not re.search(r" at 0x[0-9a-f]{6,}", text), page
