"""The MkDocs side of executed-pages: a typed config and one method per build event.

Data flow for each page that executes code (a notebook, or Markdown with
``exec`` blocks or ``:::`` lines):

1. ``on_nav``: the page's keys (``keys.py``) are compared with its stored
   snapshot (``snapshot.py``); ``keys.decide`` says hit, prose or miss. Notebooks
   that miss start running in their kernels at once (``notebooks.py``).
2. ``on_pre_page``: the plugin wraps ``page.render`` (it is the only one that
   does; for a notebook it wraps mkdocs-jupyter's render, which is why this runs
   after every other plugin's ``on_pre_page``):

   - hit: the snapshot is put back on the page; nothing runs;
   - prose: the page is converted again, markdown-exec's outputs given back from
     the snapshot (``replay.py``);
   - miss: the page runs from the state of a fresh process (``isolation.py``),
     its blocks in fresh sessions; a failing block or cell stops the build
     with a short message (``errors.py``).

   A page that rendered without an error or a warning is stored.
3. ``on_page_context`` and ``on_post_page``: each page that runs code gets its
   notebook written beside it in the site, and the theme its buttons and versions
   note (``downloads.py``, ``notebook_export.py``); the execution report, a page
   the plugin adds when ``report`` is set, gets the build's table (``report.py``).
4. ``on_post_build``: entries of pages that are gone are deleted, and the table
   of executed pages is printed (``report.py``).

Around the pages, for the process: ``mkdocs build`` exits without Python's last
garbage collections (``on_startup``); under ``mkdocs serve``, Material's search
entries of unchanged pages are reused (``search.py``, attached in ``on_config``)
and saved files are looked for every ``poll_interval`` seconds (``on_serve``).

Private APIs of other projects are used in ``upstream.py`` only.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from . import errors, isolation, keys, limits, provenance, snapshot, upstream
from .deps import Package
from .downloads import Downloads
from .notebook_export import Origin
from .notebooks import Kernels
from .replay import Blocks
from .report import REPORT_META, Row, report_page, table
from .search import SearchEntries
from .snapshot import Snapshot, UnreadableEntry

log = errors.log


class ExecutedPagesConfig(Config):
    """The plugin's settings in ``mkdocs.yml``."""

    package = c.Type(str)
    """The import name of the package the pages use; each page is keyed on the modules it imports."""
    cache_dir = c.Type(str, default=".cache/executed-pages")
    """Where snapshots of executed pages and executed notebooks are kept, relative to ``mkdocs.yml``."""
    page_timeout = c.Type(int, default=120)
    """Seconds a Markdown page's code may run in all before the build fails (0: no limit)."""
    cell_timeout = c.Type(int, default=120)
    """Seconds each notebook cell may run before the build fails (0: no limit)."""
    notebooks = c.Type(bool, default=True)
    """Write each page that runs code as a notebook beside it in the site ("Download notebook")."""
    distribution = c.Optional(c.Type(str))
    """The name notebooks install the package by (``project.name``); default: ``package``, ``_`` as ``-``."""
    colab_branch = c.Optional(c.Type(str))
    """The branch of the GitHub ``repo_url`` that holds the built site's notebooks at their site paths,
    which "Open in Colab" links point to (Colab opens notebooks from GitHub only); none: no such links."""
    poll_interval = c.Type((int, float), default=0.1)
    """Seconds between two looks for saved files under ``mkdocs serve`` (MkDocs' own: 0.5)."""
    report = c.Optional(c.Type(str))
    """A page to add to the site (its path under ``docs/``; put it in ``nav``) that publishes the build's
    table of executed pages, with the versions they ran with; none: no such page."""


@dataclass
class PagePlan:
    """What this build does with one executed page."""

    key: str
    code_key: str | None
    entry: Path
    stored: Snapshot | None
    decision: keys.Decision


@dataclass
class BuildState:
    """Everything one build knows, made afresh for each build (``mkdocs serve`` keeps the plugin)."""

    environment: str
    package: Package
    cache: Path | None  # None: the cache folder cannot be written, nothing is stored
    executed: Path  # where executed notebooks go
    pages: dict[str, PagePlan] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    downloads: Downloads | None = None
    # What each page's notebook is made of: what its blocks printed, or its executed copy.
    outputs: dict[str, tuple[list[str], str | None]] = field(default_factory=dict)
    commit: str | None = None
    versions: str = ""
    ran_for: dict[str, float] = field(default_factory=dict)  # each page's time when its code ran


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _entry_name(src_uri: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in src_uri) + ".json"


class ExecutedPagesPlugin(BasePlugin[ExecutedPagesConfig]):
    """Runs the pages' code only when what decides its output changed, and fails loudly and briefly."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.blocks = Blocks()
        self.failures = errors.BlockFailures()
        self.build: BuildState | None = None
        self.kernels = Kernels()
        self.config_file = Path()
        self.cwd = os.getcwd()
        self.includes = keys.Includes([])
        self.search = SearchEntries()
        self.frozen_at_exit = False
        # Each page's notebook and what it was made from: under `mkdocs serve` most
        # pages come from the cache unchanged, and their notebooks are the same text.
        self.notebooks: dict[str, tuple[tuple, str]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Also defined so that `mkdocs serve` keeps this instance (its wrapped fence, the
        search entries, the notebooks) across rebuilds."""
        if command == "build" and not self.frozen_at_exit:
            # `mkdocs build` exits when done, and Python's last garbage collections would walk
            # every object torch, matplotlib and MkDocs made: 1.4-1.9 s after a cold build, 0.3 s
            # after one from the cache. Frozen, they are skipped; reference counting still frees
            # what it frees (only objects in reference cycles are left to the operating system).
            atexit.register(gc.freeze)
            self.frozen_at_exit = True

    def on_serve(self, server, *, config, builder):
        # MkDocs looks for saved files every 0.5 s, with no setting to change it; every
        # 0.1 s saves 17% of a prose edit's wait (see the README's "Speed-ups" table).
        upstream.poll_for_saves_every(server, self.config.poll_interval)
        return server

    @event_priority(-100)  # after markdown-exec has added its fence, and search its index
    def on_config(self, config):
        interval = self.config.poll_interval
        if not interval > 0:
            raise PluginError(f"executed-pages: poll_interval must be seconds > 0, not {interval}")
        self.config_file = Path(config.config_file_path)
        self.cwd = os.getcwd()
        fence = upstream.python_fence(config)
        if fence is not None and not hasattr(fence["format"], "blocks"):
            fence["format"] = self.blocks.wrap(fence["format"])
        upstream.record_python_output(self.blocks.saw_printed)
        self.search.attach(config)  # see search.py
        # `mkdocs serve` keeps one Python process: blocks must import the
        # package as it is now, not as it was when the server started.
        isolation.forget_package(self.config.package)
        root = str(self.config_file.parent) + "/"
        for handler in logging.getLogger("mkdocs").handlers:
            errors.install(errors.RelativePaths(root), handler)
        logger = logging.getLogger(upstream.MARKDOWN_EXEC_LOGGER)
        errors.install(self.failures, logger)
        # `-q` raises the level of the whole "mkdocs" tree to ERROR, so the
        # warning would not even be created and the failure would go unseen.
        logger.setLevel(logging.WARNING)
        self.kernels = Kernels(self.config.cell_timeout or None)
        self.includes = keys.Includes.of_config(
            config.markdown_extensions, config.mdx_configs, Path(self.cwd)
        )
        return config

    def on_files(self, files, config):
        try:
            package = Package.find(self.config.package)
        except ModuleNotFoundError as error:
            raise PluginError(f"executed-pages: {error}") from None
        settings = f"package={self.config.package}"  # (mkdocs.yml, hashed whole, holds the rest)
        pages = [file.src_uri for file in files.documentation_pages()]
        extra = keys.config_files(Path(self.cwd), Path(config.docs_dir))
        environment = keys.environment_digest(self.config_file, package, pages, settings, extra)
        cache = self._usable_cache(self.config_file.parent / self.config.cache_dir)
        executed = cache / "notebooks" if cache else Path(tempfile.mkdtemp(prefix="executed-pages-"))
        self.build = BuildState(environment, package, cache, executed)
        self.build.commit = provenance.build_commit(self.config_file.parent)
        found = provenance.versions()
        self.build.versions = provenance.versions_text(found)
        report_url = None
        if self.config.report:
            # Its text is written when every other page has been rendered (on_page_markdown): last.
            report = File.generated(config, self.config.report, content=REPORT_META)
            files.append(report)
            report_url = report.url
        if self.config.notebooks:
            origin = Origin(
                package=self.config.distribution or self.config.package.replace("_", "-"),
                repo_url=config.repo_url,
                commit=self.build.commit,
                torch_version=found.get("torch"),
            )
            self.build.downloads = Downloads(
                origin,
                config.site_url,
                config.use_directory_urls,
                self.config.colab_branch,
                self.build.versions,
                report_url,
            )
        return files

    def _usable_cache(self, folder: Path) -> Path | None:
        """The cache folder, cleaned of what stopped builds left; None when it cannot be written."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for leftover in snapshot.remove_leftovers(folder) + snapshot.remove_leftovers(
                folder / "notebooks"
            ):
                log.info("executed-pages: removed %s, left by a build that was stopped", leftover.name)
            probe = folder / f".probe.{os.getpid()}.part"
            probe.write_bytes(b"")
            probe.unlink(missing_ok=True)
        except OSError as error:
            log.info(
                "executed-pages: cannot write the cache folder %s (%s); pages run and are not stored",
                folder,
                error.strerror or error,
            )
            return None
        return folder

    def on_nav(self, nav, config, files):
        build = self.build
        for file in files.documentation_pages():
            source = file.content_string  # also for a page a plugin generated (no file on disk)
            if not keys.executes(file.src_uri, source):
                continue
            plan = self._plan(file.src_uri, source)
            build.pages[file.src_uri] = plan
            if keys.is_notebook(file.src_uri) and plan.decision is keys.Decision.MISS:
                log.info("Running %s in a kernel of its own", file.src_uri)
                self.kernels.start(file.src_uri, Path(file.abs_src_path), build.executed / file.src_uri)
        return nav

    def _plan(self, src_uri: str, source: str) -> PagePlan:
        build = self.build
        # Included files can hold code (inside a fence) as well as prose: a
        # change to one runs the page.
        expanded = source if keys.is_notebook(src_uri) else self.includes.expand(source)
        try:
            uses = keys.uses_digest(build.package, src_uri, expanded)
        except (ValueError, KeyError):  # a notebook that is not JSON: it fails when it runs
            uses = ""
        key = keys.page_key(build.environment, uses, expanded)
        code_key = keys.code_key(build.environment, uses + expanded[len(source) :], src_uri, source)
        entry = (build.cache or build.executed) / _entry_name(src_uri)
        stored = None
        if build.cache is not None:
            try:
                stored = snapshot.read(entry)
            except UnreadableEntry as error:
                log.info(
                    "executed-pages: discarded the unreadable cache entry %s (%s); the page runs again",
                    entry.relative_to(self.config_file.parent),
                    error,
                )
                snapshot.discard(entry)
        return PagePlan(key, code_key, entry, stored, keys.decide(stored, key, code_key))

    @event_priority(-100)  # after mkdocs-jupyter has replaced a notebook page's render
    def on_pre_page(self, page, config, files):
        plan = self.build.pages.get(page.file.src_uri)
        if plan is None:
            return page
        render = page.render
        autorefs = config.plugins.get("autorefs")

        def cached_render(config, files):
            if plan.decision is keys.Decision.HIT:
                start = time.perf_counter()
                self._restore(page, plan.stored, autorefs, files)
                self.build.outputs[page.file.src_uri] = (plan.stored.printed, plan.stored.notebook)
                self.build.ran_for[page.file.src_uri] = plan.stored.seconds
                self.build.rows.append(Row(page.file.src_uri, time.perf_counter() - start, "hit", "here"))
            else:
                self._run(page, plan, render, autorefs, config, files)

        page.render = cached_render
        return page

    def _restore(self, page, stored: Snapshot, autorefs, files) -> None:
        page.content = stored.content
        upstream.restore_page(
            page, toc=stored.toc, title=stored.title, anchors=stored.anchors, links=stored.links, files=files
        )
        if stored.set_title is not None:  # mkdocs-jupyter sets the title itself
            page.title = stored.set_title
        upstream.register_anchors(autorefs, page, stored.autorefs)

    def _run(self, page, plan: PagePlan, render, autorefs, config, files) -> None:
        src = page.file.src_uri
        start, ran_for = time.perf_counter(), 0.0
        source = page.file.content_string
        replay = plan.stored.blocks if plan.decision is keys.Decision.PROSE else None
        executed_copy = None
        counter = _WarningCounter()
        logging.getLogger("mkdocs").addHandler(counter)
        self.blocks.start(replay)
        self.failures.start(src, source)
        if replay is None:
            # As in a fresh process, whatever ran before in this one.
            upstream.clear_sessions()
            isolation.fresh_state(self.cwd, self.config.package)
        try:
            with upstream.recording_anchors(autorefs) as registered:
                if keys.is_notebook(src):
                    executed = self.build.executed / src
                    ran_for = self.kernels.result(src, Path(page.file.abs_src_path), executed)
                    start = time.perf_counter()  # count the kernel's time, not the wait for it
                    with upstream.rendering_from(page, str(executed)):
                        render(config, files)
                    executed_copy = executed.read_text(encoding="utf-8")
                else:
                    with limits.time_limit(self.config.page_timeout):
                        render(config, files)
        except limits.PageTimeout:
            plan.entry.unlink(missing_ok=True)
            where = errors.block_line(src, source, self.blocks.current) if self.blocks.current else src
            raise PluginError(
                f"{where}: still running after {self.config.page_timeout} s, the time limit for a page's code"
                " (page_timeout of executed-pages in mkdocs.yml)"
            ) from None
        except BaseException:
            plan.entry.unlink(missing_ok=True)  # a page that failed leaves nothing behind
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
            self.blocks.stop()
            self.failures.stop()
        status = "miss" if replay is None else "prose"
        where = "kernel" if keys.is_notebook(src) else "here"
        seconds = ran_for + time.perf_counter() - start
        self.build.rows.append(Row(src, seconds, status, where))
        if replay is not None:  # the outputs, and the time they took, are those of an earlier build
            seconds = plan.stored.seconds
        self.build.ran_for[src] = seconds
        found = self.failures.found + [
            errors.summarise_exit(e, src, source, code) for e, code in self.blocks.exits
        ]
        if found:
            plan.entry.unlink(missing_ok=True)
            raise PluginError("\n".join(found))
        printed = self.blocks.printed if replay is None else plan.stored.printed
        self.build.outputs[src] = (printed, executed_copy)
        if counter.count or self.build.cache is None:
            plan.entry.unlink(missing_ok=True)
            return
        stored = Snapshot(
            key=plan.key,
            code_key=plan.code_key,
            content=page.content,
            toc=_toc_tokens(page.toc),
            title=upstream.page_title_from_render(page),
            set_title=upstream.page_set_title(page),
            anchors=sorted(page.present_anchor_ids or ()),
            links={f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
            autorefs=registered,
            blocks=self.blocks.recorded if replay is None else replay,
            printed=printed,
            notebook=executed_copy,
            seconds=seconds,
        )
        try:
            snapshot.write(plan.entry, stored)
        except OSError as error:
            log.info("executed-pages: cannot store %s (%s)", plan.entry.name, error.strerror or error)

    def on_page_markdown(self, markdown, *, page, config, files):
        if page.file.src_uri != self.config.report:
            return markdown
        titles = {src: files.get_file_from_path(src).page.title for src in self.build.pages}
        commit = self.build.commit
        if commit and config.repo_url and "github.com" in config.repo_url:
            commit = f"[`{commit[:12]}`]({config.repo_url.rstrip('/')}/commit/{commit})"
        elif commit:
            commit = f"`{commit[:12]}`"
        return report_page(
            self.build.rows, titles, self.build.versions, commit, self.build.ran_for, at=self.config.report
        )

    def _notebook_outputs(self, page):
        """What a page's notebook is made of; None for a page that has none (it runs no code)."""
        outputs = self.build.outputs.get(page.file.src_uri) if self.build.downloads else None
        if outputs is None or (not outputs[0] and outputs[1] is None):  # API pages: no blocks, no cells
            return None
        return outputs

    def on_page_context(self, context, *, page, config, nav):
        if self._notebook_outputs(page) is not None:
            context["executed_page"] = self.build.downloads.page_context(page)
        return context

    def on_post_page(self, output, *, page, config):
        outputs = self._notebook_outputs(page)
        if outputs is not None:
            printed, executed = outputs
            downloads = self.build.downloads
            # Everything the notebook is made from (Downloads.notebook is a function of these).
            source = page.file.content_string
            made_from = downloads, page.canonical_url, source, tuple(printed or ()), executed
            kept = self.notebooks.get(page.file.src_uri)
            if kept is None or kept[0] != made_from:
                kept = made_from, downloads.notebook(page, printed=printed, executed=executed)
                self.notebooks[page.file.src_uri] = kept
            downloads.write(Path(config.site_dir), page, kept[1])
        return output

    def on_post_build(self, *, config) -> None:
        build = self.build
        if build.cache is not None:
            used = {plan.entry.name for plan in build.pages.values()}
            for stale in build.cache.glob("*.json"):
                if stale.name not in used:
                    stale.unlink(missing_ok=True)
        if build.rows:
            log.info(table(build.rows))


def _toc_tokens(links) -> list[dict]:
    return [
        {"level": link.level, "id": link.id, "name": link.title, "children": _toc_tokens(link.children)}
        for link in links
    ]
