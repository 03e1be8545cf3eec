"""The forked copies of the build that render pages beside it (docs/_hooks/forked.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

# docs/_hooks is on sys.path: conftest.py puts it there.
from forked import Child, SharedChild, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="forks only on Linux, from a single thread")


def pages(count: int) -> list:
    return [SimpleNamespace(file=SimpleNamespace(src_uri=f"page{i}.md")) for i in range(count)]


def writer(folder: Path, seconds: float = 0.05):
    """A stand-in for rendering: notes which process rendered the page."""

    def populate(page) -> None:
        (folder / page.file.src_uri).write_text(str(os.getpid()))
        time.sleep(seconds)

    return populate


def render_here_or_wait(child, all_pages, populate) -> dict[str, float | None]:
    """What the build does: render a page itself unless the child owns it."""
    waited = {}
    for page in all_pages:
        if child.owns(page.file.src_uri):
            waited[page.file.src_uri] = child.wait(page.file.src_uri)
        else:
            populate(page)
    child.stop()
    return waited


def test_parent_and_shared_child_render_every_page_once_between_them(tmp_path):
    all_pages = pages(8)
    populate = writer(tmp_path)
    waited = render_here_or_wait(SharedChild("worker", all_pages, populate), all_pages, populate)
    renderers = {path.name: path.read_text() for path in tmp_path.iterdir()}
    assert sorted(renderers) == sorted(page.file.src_uri for page in all_pages)
    assert set(renderers.values()) - {str(os.getpid())}, "the child rendered nothing"
    assert str(os.getpid()) in renderers.values(), "the parent rendered nothing"
    # The child took pages from the end, the parent from the start.
    assert waited and all(renderers[src] != str(os.getpid()) for src in waited)
    assert "page0.md" not in waited and "page7.md" in waited
    assert all(seconds >= 0.05 for seconds in waited.values())


def test_a_child_reports_its_own_time_when_it_has_one(tmp_path):
    all_pages = pages(2)
    child = Child("kernel", all_pages, writer(tmp_path, 0), seconds=lambda src: 42.0)
    assert [child.wait(page.file.src_uri) for page in all_pages] == [42.0, 42.0]
    child.stop()


def test_a_page_that_raises_in_a_child_is_still_reported(tmp_path):
    def populate(page) -> None:
        raise RuntimeError("the parent renders it again and reports this")

    child = Child("kernel", pages(1), populate)
    assert child.wait("page0.md") is not None
    child.stop()


def test_a_child_that_dies_leaves_its_pages_to_the_parent():
    def populate(page) -> None:
        os._exit(3)

    child = Child("kernel", pages(2), populate)
    assert child.wait("page0.md") is None
    assert child.wait("page1.md") is None
    child.stop()
