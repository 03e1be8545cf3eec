"""The private APIs of other projects that executed_pages/upstream.py relies on, checked loudly.

An upgrade of one of these projects must fail here first, naming what changed,
rather than make the build subtly stale or wrong.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
from pathlib import Path

import markdown
import pytest

from executed_pages import upstream
from helpers import FIXTURE_SITE

SECTIONS = re.findall(r"^# -+ (\S+) (\S+)$", Path(upstream.__file__).read_text(), re.M)


def test_every_section_names_a_project_and_the_version_pinned_in_constraints():
    assert [name for name, _ in SECTIONS] == [
        "MkDocs",
        "markdown-exec",
        "mkdocs-jupyter",
        "mkdocs-material",
        "mkdocs-autorefs",
    ]


@pytest.mark.parametrize(("project", "version"), SECTIONS, ids=[name for name, _ in SECTIONS])
def test_the_installed_version_is_the_one_upstream_py_was_written_against(project, version):
    installed = importlib.metadata.version(project)
    assert installed == version, (
        f"{project} {installed} is installed, upstream.py was written against {version}: "
        "check its section against the new version, then update the version there"
    )


def test_mkdocs_keeps_the_title_anchors_and_links_where_restore_page_puts_them(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Title\n\n## Part\n\nSee [b](b.md#top).\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = Files([File(name, config.docs_dir, config.site_dir, True) for name in ("a.md", "b.md")])
    page = Page(None, files.get_file_from_path("a.md"), config)
    page.read_source(config)
    page.render(config, files)
    assert upstream.page_title_from_render(page) == "Title"
    assert upstream.page_set_title(page) is None
    page.title = "Set by a plugin"
    assert upstream.page_set_title(page) == "Set by a plugin"
    assert page.present_anchor_ids == {"title", "part"}
    assert page.links_to_anchors == {files.get_file_from_path("b.md"): {"top": "b.md#top"}}

    again = Page(None, files.get_file_from_path("a.md"), config)
    again.read_source(config)  # as MkDocs does before it renders a page
    toc = [{"level": 1, "id": "title", "name": "Title", "children": []}]
    upstream.restore_page(
        again, toc=toc, title="Title", anchors=["title"], links={"b.md": {"top": "b.md#top"}}, files=files
    )
    again.content = "<p>stored</p>"
    assert again.title == "Title" and again.toc.items[0].id == "title"
    assert again.links_to_anchors == page.links_to_anchors


def watched(server) -> set[str]:
    return {emitter.watch.path for emitter in server.observer.emitters}


def test_mkdocs_serve_watches_the_same_paths_when_polling_faster(tmp_path):
    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    docs, config = str(tmp_path / "docs"), str(tmp_path / "mkdocs.yml")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(docs)
        server.watch(config)
        server.watch(config)  # counted: unwatched once, it is still watched
        assert server.observer.timeout == 0.5  # MkDocs' own
        before = watched(server)
        assert len(before) == 2
        upstream.poll_for_saves_every(server, 0.1)
        assert server.observer.timeout == 0.1
        assert watched(server) == before
        server.unwatch(config)
        assert watched(server) == before
        server.unwatch(config)
        assert watched(server) == {docs}
    finally:
        server.server_close()


def convert_with_markdown_exec(text: str) -> str:
    from markdown_exec import formatter, validator

    fence = {"name": "python", "class": "python", "validator": validator, "format": formatter}
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
    )
    return md.convert(text)


def test_markdown_exec_keeps_session_variables_where_clear_sessions_clears_them():
    convert_with_markdown_exec('```python exec="on" session="upstream-test"\nkept = 41\n```\n')
    html = convert_with_markdown_exec('```python exec="on" session="upstream-test"\nprint(kept + 1)\n```\n')
    assert "42" in html
    upstream.clear_sessions()
    logger = logging.getLogger(upstream.MARKDOWN_EXEC_LOGGER)
    logger.disabled = True  # the NameError's warning is expected
    try:
        html = convert_with_markdown_exec('```python exec="on" session="upstream-test"\nprint(kept)\n```\n')
    finally:
        logger.disabled = False
    assert "NameError" in html


def test_markdown_exec_reports_a_failing_block_as_a_warning_on_its_logger():
    seen: list[str] = []

    class Seen(logging.Filter):
        def filter(self, record):
            seen.append(record.getMessage())
            return False

    logger = logging.getLogger(upstream.MARKDOWN_EXEC_LOGGER)
    catcher = Seen()
    logger.addFilter(catcher)
    try:
        convert_with_markdown_exec('```python exec="on"\n1 / 0\n```\n')
    finally:
        logger.removeFilter(catcher)
    assert len(seen) == 1 and upstream.MARKDOWN_EXEC_FAILED in seen[0]
    assert "Code block is:" in seen[0] and "Output is:" in seen[0] and "ZeroDivisionError" in seen[0]


def test_markdown_exec_hands_what_a_block_printed_to_record_python_output():
    printed: list[str] = []
    upstream.record_python_output(printed.append)
    try:
        html = convert_with_markdown_exec(
            '```python exec="on" html="1"\nprint("<b>a</b>", 1)\nprint("x", end="")\n```\n'
        )
        upstream.record_python_output(printed.append)  # wrapping again replaces, does not stack
        convert_with_markdown_exec('```python exec="on"\npass\n```\n')
    finally:
        upstream.record_python_output(lambda output: None)
    assert "<b>a</b> 1" in html
    assert printed == ["<b>a</b> 1\nx", ""]


def test_markdown_exec_adds_the_python_fence_that_the_plugin_wraps():
    from mkdocs.config import load_config

    config = load_config(str(FIXTURE_SITE / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    fence = upstream.python_fence(config)
    assert fence is not None and hasattr(fence["format"], "blocks")


def test_material_search_indexes_a_page_through_index_pages_with_as_it_would_itself(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Title\n\nIntro.\n\n## Part\n\nMore `code`.\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme: material\nplugins: [search]\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = Files([File("a.md", config.docs_dir, config.site_dir, True)])
    page = Page(None, files.get_file_from_path("a.md"), config)
    page.read_source(config)
    page.render(config, files)

    index = upstream.search_index(config)
    index.add_entry_from_context(page)
    own = list(index.entries)
    assert [entry["location"] for entry in own] == ["a/", "a/#part"]

    index.entries.clear()
    asked = []
    upstream.index_pages_with(index, lambda page, make: asked.append(page) or make())
    index.add_entry_from_context(page)
    assert asked == [page] and index.entries == own
    upstream.index_pages_with(index, lambda page, make: [{"location": "kept"}])
    index.add_entry_from_context(page)
    assert index.entries == [*own, {"location": "kept"}]


def test_mkdocs_autorefs_register_anchor_is_recorded_and_replayed():
    calls = []

    class Autorefs:
        def register_anchor(self, page, identifier, anchor=None, *, title=None, primary=True):
            calls.append((page, identifier, anchor, title, primary))

    from mkdocs_autorefs import AutorefsPlugin

    assert list(__import__("inspect").signature(AutorefsPlugin.register_anchor).parameters) == [
        "self",
        "page",
        "identifier",
        "anchor",
        "title",
        "primary",
    ]
    autorefs = Autorefs()
    with upstream.recording_anchors(autorefs) as registered:
        autorefs.register_anchor("page", "pkg.f", "pkg.f", title="f")
    assert registered == [["pkg.f", "pkg.f", "f", True]]
    assert "register_anchor" not in vars(autorefs)  # the class's method again
    upstream.register_anchors(autorefs, "other", registered)
    assert calls == [("page", "pkg.f", "pkg.f", "f", True), ("other", "pkg.f", "pkg.f", "f", True)]
    with upstream.recording_anchors(None) as nothing:
        assert nothing == []
