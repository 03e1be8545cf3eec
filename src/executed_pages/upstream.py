"""Every private API of another project that the plugin relies on, one section per project.

Each section names the version pinned in ``constraints.txt`` it was written
against; ``tests/test_upstream.py`` fails loudly when an upgrade changes one.
Everything else in the package uses public APIs only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mkdocs.structure.toc import get_toc

# ---------------------------------------------------------------- MkDocs 1.6.1


def page_title_from_render(page) -> str | None:
    """The title a page's Markdown gave it (MkDocs keeps it in a private attribute)."""
    return getattr(page, "_title_from_render", None)


def page_set_title(page) -> str | None:
    """A title a plugin set on the page (mkdocs-jupyter does), not the one MkDocs would work out.

    ``Page.title`` is a property that MkDocs computes unless something set it,
    in which case the value sits in the page's ``__dict__``.
    """
    return vars(page).get("title")


def restore_page(page, *, toc: list, title: str | None, anchors: list, links: dict, files) -> None:
    """Put back what ``Page.render`` leaves on a page besides its content.

    ``present_anchor_ids`` and ``links_to_anchors`` are the public but undocumented
    attributes MkDocs' link validation reads after every page is rendered.
    """
    page.toc = get_toc(toc)
    page._title_from_render = title
    page.present_anchor_ids = set(anchors)
    page.links_to_anchors = {files.get_file_from_path(uri): targets for uri, targets in links.items()}


def poll_for_saves_every(server, seconds: float) -> None:
    """Have ``mkdocs serve`` look for saved files every ``seconds``.

    MkDocs makes its ``LiveReloadServer`` with a watchdog ``PollingObserver``
    that polls every 0.5 s, and ``mkdocs serve`` has no setting for it. By
    ``on_serve`` the server has scheduled the docs folder, mkdocs.yml and (with
    ``--watch-theme``) the theme on that observer (``watch``, counted in ``_watched_paths``), but not
    started it (``serve`` does, after ``on_serve``): a new observer takes its
    place, and every path is watched again on it, as many times as before.
    """
    from watchdog.observers.polling import PollingObserver

    watched = dict(server._watched_paths)
    server.observer = PollingObserver(timeout=seconds)
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path, times in watched.items():
        for _ in range(times):
            server.watch(path)


# ---------------------------------------------------------------- markdown-exec 1.12.6

# markdown-exec reports a failing block by logging a warning through this logger
# (formatters/base.py), with the block and its traceback; the error itself is
# not raised.
MARKDOWN_EXEC_LOGGER = "mkdocs.plugins.markdown_exec._internal.formatters.base"
MARKDOWN_EXEC_FAILED = "Execution of python code block"


def python_fence(config) -> dict | None:
    """The ``python`` custom fence that markdown-exec's ``on_config`` added to superfences."""
    fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    return next((fence for fence in fences if fence["name"] == "python"), None)


def clear_sessions() -> None:
    """Forget every session's variables, so that a page's blocks start in a fresh namespace.

    markdown-exec keeps them in a module-level dict for the life of the process,
    which under ``mkdocs serve`` spans rebuilds.
    """
    from markdown_exec._internal.formatters import python

    python._sessions_globals.clear()


def record_python_output(record: Callable[[str], None]) -> None:
    """Hand what each python block printed, once it ran, to ``record`` (the latest one given).

    markdown-exec keeps a block's printed text only inside the HTML it returns;
    the notebook a reader downloads needs the text itself. ``_format_python``
    runs a block with ``formatters.python._run_python``, looked up by name at
    each call, which returns what the block printed.
    """
    from markdown_exec._internal.formatters import python

    run = getattr(python._run_python, "__wrapped__", python._run_python)

    def recording_run(*args, **kwargs):
        output = run(*args, **kwargs)
        record(output)
        return output

    recording_run.__wrapped__ = run
    python._run_python = recording_run


# ---------------------------------------------------------------- mkdocs-jupyter 0.26.3

# mkdocs-jupyter replaces a notebook page's ``render`` in ``on_pre_page`` with
# one that converts the file at ``page.file.abs_src_path`` when it is called.


@contextmanager
def rendering_from(page, path: str) -> Iterator[None]:
    """Have mkdocs-jupyter render another file (the executed copy) for this page."""
    source, page.file.abs_src_path = page.file.abs_src_path, path
    try:
        yield
    finally:
        page.file.abs_src_path = source  # the download link offers the clean source


# ---------------------------------------------------------------- mkdocs-material 9.8.1

# Material's search plugin makes a new ``SearchIndex`` in each build's ``on_config``
# (``plugin.search_index``). In ``on_page_context`` it calls the index's
# ``add_entry_from_context(page)``, which parses the page's HTML and appends the
# page's sections to the list ``index.entries``: dicts made from the page's HTML,
# table of contents, URL, title and meta alone.


def search_index(config):
    """The index Material's search plugin made in this build's ``on_config``; None without it."""
    plugin = config.plugins.get("material/search")
    return getattr(plugin, "search_index", None)


def index_pages_with(index, entries_of: Callable[[object, Callable[[], list[dict]]], list[dict]]) -> None:
    """Have ``index`` take each page's entries from ``entries_of(page, make)``.

    ``make()`` returns the entries the index would have made of the page itself.
    """
    add = index.add_entry_from_context  # the class's method, bound to this index

    def make(page) -> list[dict]:
        start = len(index.entries)
        add(page)
        made = index.entries[start:]
        del index.entries[start:]
        return made

    def add_entry_from_context(page) -> None:
        index.entries.extend(entries_of(page, lambda: make(page)))

    index.add_entry_from_context = add_entry_from_context


# ---------------------------------------------------------------- mkdocs-autorefs 1.4.5

# mkdocstrings registers the anchors of documented objects with
# ``AutorefsPlugin.register_anchor`` while a page renders; a page taken from the
# cache must register them again.


@contextmanager
def recording_anchors(autorefs) -> Iterator[list[list]]:
    """Record ``[identifier, anchor, title, primary]`` of each anchor registered while the block runs."""
    registered: list[list] = []
    if autorefs is None:
        yield registered
        return
    original: Callable = type(autorefs).register_anchor

    def register_anchor(page, identifier, anchor=None, *, title=None, primary=True):
        registered.append([identifier, anchor, title, primary])
        original(autorefs, page, identifier, anchor, title=title, primary=primary)

    autorefs.register_anchor = register_anchor
    try:
        yield registered
    finally:
        del autorefs.register_anchor  # back to the class's method


def register_anchors(autorefs, page, anchors: list[list]) -> None:
    for identifier, anchor, title, primary in anchors:
        autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
