"""MkDocs hook: cache the pages that execute code, keyed on everything that decides their output.

mkdocs-jupyter's own cache is keyed on the notebook file alone and markdown-exec
has none, so this hook wraps the rendering of every page that runs code (notebooks,
and Markdown pages with ``exec=`` blocks). A page is rendered again when any of
these change, and only then:

- the page's source;
- the sources of the package's modules that the page uses (``src/sgd_tutorial``,
  found where Python will import it; which modules: see ``package_deps.py``), so
  a change to one module runs again only the pages that use it;
- every installed distribution's version, and Python's;
- ``mkdocs.yml``, these hooks, and the list of files in the site (links are
  checked while rendering).

A page is stored only if it rendered without an error or a warning, so a problem
is reported again at the next build instead of being hidden by the cache.
Entries of pages that are gone are deleted. At the end of each build a table
gives each executed page's time and whether it ran, came from the cache, or
reused its code's outputs after a prose edit.

An edit to a Markdown page's prose alone does not run its code again: the page
also keeps the HTML its ``exec`` blocks produced, under a key of its code alone
(every fenced block in order, and everything above but the page). When only the
prose changed, the page is converted again with those outputs put back in order.
Any change to a fence runs the whole page, so sessions and the per-page
numbering of code blocks stay as they were.

The work is spread over the machine's cores as soon as the build knows which
pages must run (``on_nav``):

- notebooks run each in its own kernel, started at once; mkdocs-jupyter then
  renders the executed copy (it is configured with ``execute: false`` so that
  nothing runs twice). Execution raises on the first failing cell, as
  ``allow_errors: false`` would;
- Markdown pages run their code in-process (markdown-exec). In a ``mkdocs build``
  with two or more to run, a forked copy of this process shares them: it takes
  them from the end of the list while this process takes them from the start;
- also in a ``mkdocs build``, the notebooks' pages are rendered by another
  forked copy, which waits for the kernels; in ``mkdocs serve`` (which has
  threads, so must not fork) the kernels are waited for on threads.

The forked copies store what they render in the cache (see ``forked.py``), and
the table of executed pages says where each page ran.

Because ``mkdocs serve`` keeps one Python process, the package is also dropped
from ``sys.modules`` before each build, so that markdown-exec blocks import the
package as it is now, not as it was when the server started.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import logging
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from pathlib import Path

import forked  # this and the next: modules beside this file (MkDocs puts its folder on sys.path)
from mkdocs.commands.build import _populate_page
from mkdocs.structure.toc import get_toc
from package_deps import Package

PACKAGE = "sgd_tutorial"

log = logging.getLogger("mkdocs.hooks.page_cache")

_state: dict = {}


# A Markdown page's output depends on the package when it runs code or renders
# the package's docstrings (a `::: module` line of mkdocstrings).
_USES_PACKAGE = re.compile(r"^\s*(```+\s*python[^\n]*\bexec=|::: )", re.M)


def _uses_package(page) -> bool:
    if page.file.src_uri.endswith(".ipynb"):
        return True
    return _USES_PACKAGE.search(Path(page.file.abs_src_path).read_text(encoding="utf-8")) is not None


def _package_root() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # locates without importing (no torch import)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"cannot find the {PACKAGE} package; is it installed?")
    return Path(next(iter(spec.submodule_search_locations)))


def environment_digest(config_file: Path, hooks_dir: Path, src_uris: list[str]) -> str:
    """Hash of everything but the page and the modules it uses that decides its output."""
    h = hashlib.sha256()
    h.update(sys.version.encode())
    # Installed versions, from the names of the dist-info folders (name-version),
    # which is much faster than reading every distribution's metadata.
    versions = sorted(p.name for entry in sys.path if entry for p in Path(entry).glob("*.dist-info"))
    h.update("\n".join(versions).encode())
    # The package's files other than its modules (data, if it ever has any) count for every page.
    root = _package_root()
    others = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    )
    for path in [config_file, *sorted(hooks_dir.glob("*.py")), *others]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update("\n".join(sorted(src_uris)).encode())
    return h.hexdigest()


def _toc_tokens(links) -> list[dict]:
    return [
        {"level": link.level, "id": link.id, "name": link.title, "children": _toc_tokens(link.children)}
        for link in links
    ]


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _recording_anchors(autorefs):
    """Record the anchors mkdocstrings registers with autorefs while a page renders.

    They link short names to the API page (``History`` to ``#sgd_tutorial.History``);
    a page taken from the cache must register them again.
    """
    registered: list[list] = []
    if autorefs is None:
        yield registered
        return

    def register_anchor(page, identifier, anchor=None, *, title=None, primary=True):
        registered.append([identifier, anchor, title, primary])
        type(autorefs).register_anchor(autorefs, page, identifier, anchor, title=title, primary=primary)

    autorefs.register_anchor = register_anchor
    try:
        yield registered
    finally:
        del autorefs.register_anchor  # back to the class's method


_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1", re.M | re.S)


def _code(file) -> tuple[list[str], str]:
    """A page's code (each exec block or code cell) and its Markdown (for ``:::`` lines)."""
    text = Path(file.abs_src_path).read_text(encoding="utf-8")
    if file.src_uri.endswith(".ipynb"):
        cells = json.loads(text)["cells"]
        return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"], ""
    fences = [match.group(0).splitlines() for match in _FENCE.finditer(text)]
    return ["\n".join(lines[1:-1]) for lines in fences if "exec=" in lines[0]], text


def _uses_digest(file) -> str:
    """Hash of the sources of the package's modules that a page uses."""
    digests = _state["uses"]
    if file.src_uri not in digests:
        package = _state["package"]
        h = hashlib.sha256()
        for module in sorted(package.used_by(*_code(file))):
            h.update(module.encode() + b"\0" + package.files[module].read_bytes())
        digests[file.src_uri] = h.hexdigest()
    return digests[file.src_uri]


def _code_key(page) -> str | None:
    """Hash of a Markdown page's fenced blocks, in order; None for a notebook."""
    if page.file.src_uri.endswith(".ipynb"):
        return None
    text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    fences = "\n".join(match.group(0) for match in _FENCE.finditer(text))
    return hashlib.sha256(f"{_state['digest']}\n{_uses_digest(page.file)}\n{fences}".encode()).hexdigest()


def _replaying(formatter):
    """markdown-exec's formatter, but giving back a page's stored outputs when only prose changed."""

    def replaying_format(*args, **kwargs):
        blocks = _state.get("blocks")
        if blocks is None:  # not inside a page this hook renders
            return formatter(*args, **kwargs)
        if blocks["replay"] is not None:
            blocks["next"] += 1
            return blocks["replay"][blocks["next"] - 1]
        output = formatter(*args, **kwargs)
        blocks["record"].append(str(output))
        return output

    replaying_format.replays = True
    return replaying_format


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    for fence in fences:
        if fence["name"] == "python" and not getattr(fence["format"], "replays", False):
            fence["format"] = _replaying(fence["format"])
    # A fresh import of the package for this build (see the module docstring).
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    root = Path(config.config_file_path).parent
    _state.update(cache_dir=root / ".cache" / "pages", config_file=Path(config.config_file_path))
    return config


def _execute_notebook(source: Path, executed: Path) -> float:
    """Run a notebook top to bottom in a fresh kernel and save it with its outputs."""
    import nbformat  # imported here: a build with every page cached needs neither
    from nbclient import NotebookClient

    start = time.perf_counter()
    notebook = nbformat.read(source, as_version=4)
    # Jupyter's working directory is the notebook's folder. The outputs are in
    # hand when the last cell ends, so the kernel is killed rather than waited on.
    resources = {"metadata": {"path": str(source.parent)}}
    # A cell's printed lines reach the client in chunks whose boundaries depend
    # on timing; coalesced, a cell's output is the same on every build.
    client = NotebookClient(
        notebook, timeout=600, shutdown_kernel="immediate", resources=resources, coalesce_streams=True
    )
    executed.parent.mkdir(parents=True, exist_ok=True)
    # What the kernel process itself prints (ipykernel warns about its local TCP
    # sockets on every start) goes to a log beside the executed copy, not into
    # the build's output; the cells' own output comes back as messages.
    with executed.with_suffix(".kernel.log").open("w") as kernel_log:
        client.execute(stderr=kernel_log)  # raises CellExecutionError at the first failing cell
    nbformat.write(notebook, executed)
    return time.perf_counter() - start


def _key(file) -> str:
    head = f"{_state['digest']}\n{_uses_digest(file)}\n".encode()
    return hashlib.sha256(head + Path(file.abs_src_path).read_bytes()).hexdigest()


def _entry(file) -> Path:
    return _state["cache_dir"] / (re.sub(r"[^A-Za-z0-9_.-]", "_", file.src_uri) + ".json")


def on_env(env, config, files):
    # Jinja compiles Material's templates anew in every build (and every rebuild
    # of `mkdocs serve`); its bytecode cache is keyed on each template's source.
    import jinja2

    directory = _state["cache_dir"].parent / "jinja"
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))
    # Every page is rendered: back to MkDocs' order (see on_files), which the
    # search index and the sitemap follow.
    for src in _state["order"]:
        file = files.get_file_from_path(src)
        files.remove(file)
        files.append(file)
    return env


def on_files(files, config):
    _state["digest"] = environment_digest(
        _state["config_file"], Path(__file__).parent, [f.src_uri for f in files.documentation_pages()]
    )
    _state["package"] = Package(_package_root())
    _state["uses"] = {}
    _state["timings"] = []
    _state["used"] = set()
    _state["running"] = {}
    _state["pending"] = {}
    # MkDocs renders pages in the order of this collection. Notebooks go last:
    # their kernels run meanwhile, and this process renders Markdown pages
    # instead of waiting for them. on_env puts the order back.
    _state["order"] = [file.src_uri for file in files]
    for file in [f for f in files.documentation_pages() if f.src_uri.endswith(".ipynb")]:
        files.remove(file)
        files.append(file)
    return files


def _must_run(file) -> bool:
    """Whether a page's code must run: not in the cache, and not a prose-only edit of Markdown either."""
    entry = _entry(file)
    if not entry.is_file():
        return True
    stored = json.loads(entry.read_text(encoding="utf-8"))
    if stored["key"] == _key(file):
        return False
    code_key = _code_key(file.page)  # None for a notebook, which has no prose-only edits
    return code_key is None or stored.get("code_key") != code_key


def _executed(file) -> Path:
    return _state["cache_dir"].parent / "executed" / file.src_uri


def _start_notebooks(files) -> None:
    """Run notebooks on threads of this process, each in a kernel of its own."""
    # The notebook client imports IPython (for its folder of kernels) while
    # matplotlib, in this thread, may look it up in sys.modules and find it
    # half imported. Imported here first, it is whole for both.
    import IPython  # noqa: F401

    workers = max(1, min(len(files), (os.cpu_count() or 2) - 1))
    _state["pool"] = pool = ThreadPoolExecutor(workers, thread_name_prefix="notebook")
    for file in files:
        future = pool.submit(_execute_notebook, Path(file.abs_src_path), _executed(file))
        _state["running"][file.src_uri] = (_executed(file), future)


class _NotebookChild(forked.Child):
    """Runs the notebooks in their kernels, then renders their pages as they finish."""

    def work(self, pages, render):
        _start_notebooks([page.file for page in pages])
        futures = {future: src for src, (_, future) in _state["running"].items()}
        by_src = {page.file.src_uri: page for page in pages}
        for future in as_completed(futures):
            render(by_src[futures[future]])


def on_nav(nav, config, files):
    # Pages exist from here on: start the work that can run beside this process.
    pages = [f.page for f in files.documentation_pages() if f.page is not None and _uses_package(f.page)]
    must_run = [page for page in pages if _must_run(page.file)]
    notebooks = [page for page in must_run if page.file.src_uri.endswith(".ipynb")]
    markdown = [page for page in must_run if page not in notebooks]
    for page in notebooks:
        log.info("Running %s in a kernel of its own", page.file.src_uri)
    _state["children"] = children = []
    if not forked.can_fork():
        if notebooks:
            _start_notebooks([page.file for page in notebooks])
        return nav

    def populate(page):  # in a child, which has no children of its own
        _state["children"] = []
        _populate_page(page, config, files)

    def seconds(src):
        return next((took for done, took, *_ in _state["timings"] if done == src), None)

    # Notebooks first, so their kernels start at once; then the package is
    # imported, so that the child that shares the Markdown pages has it too.
    try:
        if notebooks:
            children.append(_NotebookChild("kernel", notebooks, populate, seconds))
        if len(markdown) >= 2:
            with suppress(Exception):  # the pages that import it will report the error
                importlib.import_module(PACKAGE)
            children.append(forked.SharedChild("worker", markdown, populate, seconds))
    except OSError as error:  # no fork, or no shared memory, here: this process does the rest
        log.info("Rendering the remaining pages in this process (%s)", error)
        if notebooks and not children:
            _start_notebooks([page.file for page in notebooks])
    return nav


def on_pre_page(page, config, files):
    if not _uses_package(page):
        return page
    render = page.render
    src = page.file.src_uri
    entry, key = _entry(page.file), _key(page.file)
    _state["used"].add(entry.name)

    autorefs = config.plugins.get("autorefs")

    def cached_render(config, files):
        child = next((c for c in _state.get("children", []) if c.owns(src)), None)
        in_child = child.wait(src) if child is not None else None  # None: render it here
        start = time.perf_counter()
        stored = json.loads(entry.read_text(encoding="utf-8")) if entry.is_file() else {}
        if stored and stored["key"] == key:
            page.content = stored["content"]
            page.toc = get_toc(stored["toc"])
            page._title_from_render = stored["title"]
            if stored["set_title"] is not None:  # mkdocs-jupyter sets the title itself
                page.title = stored["set_title"]
            page.present_anchor_ids = set(stored["anchors"])
            page.links_to_anchors = {
                files.get_file_from_path(uri): links for uri, links in stored["links"].items()
            }
            for identifier, anchor, title, primary in stored["autorefs"]:
                autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
            if in_child is None:
                _state["timings"].append((src, time.perf_counter() - start, "hit", ""))
            else:
                _state["timings"].append((src, in_child, "miss", child.label))
            return
        counter = _WarningCounter()
        logging.getLogger("mkdocs").addHandler(counter)
        ran_for = 0.0
        code_key = _code_key(page)
        reuse = stored.get("blocks") if code_key is not None and stored.get("code_key") == code_key else None
        _state["blocks"] = blocks = {"replay": reuse, "next": 0, "record": []}
        with _recording_anchors(autorefs) as registered:
            try:
                if src.endswith(".ipynb"):
                    executed, future = _state["running"].pop(src, (_executed(page.file), None))
                    if future is None:  # not started, or its child could not store it: run it now
                        ran_for = _execute_notebook(Path(page.file.abs_src_path), executed)
                    else:
                        ran_for = future.result()  # re-raises a failing cell's error
                    start = time.perf_counter()  # count the kernel's time, not the wait for it
                    source, page.file.abs_src_path = page.file.abs_src_path, str(executed)
                    try:
                        render(config, files)
                    finally:
                        page.file.abs_src_path = source  # the download link offers the clean source
                else:
                    render(config, files)
            finally:
                logging.getLogger("mkdocs").removeHandler(counter)
                _state["blocks"] = None
        status = "miss" if reuse is None else "prose"
        where = "kernel" if ran_for else "here"
        _state["timings"].append((src, ran_for + time.perf_counter() - start, status, where))
        if counter.count:
            entry.unlink(missing_ok=True)
            return
        _state["pending"][src] = (
            entry,
            {
                "key": key,
                "content": page.content,
                "toc": _toc_tokens(page.toc),
                "title": getattr(page, "_title_from_render", None),
                "set_title": vars(page).get("title"),
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
                "autorefs": registered,
                "code_key": code_key,
                "blocks": blocks["record"] if reuse is None else reuse,
            },
        )

    page.render = cached_render
    return page


def on_page_content(html, page, config, files):
    # Reached only when rendering raised nothing: a page whose code failed (see
    # build_errors.py, which wraps this hook's render) is never stored.
    if page.file.src_uri in _state["pending"]:
        entry, stored = _state["pending"].pop(page.file.src_uri)
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: a build stopped midway leaves no half entry.
        partial = entry.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(stored), encoding="utf-8")
        partial.replace(entry)
    return html


def _stop_pool() -> None:
    pool = _state.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    for child in _state.pop("children", []):
        child.stop()


def on_build_error(error):
    _stop_pool()


def on_post_build(config):
    _stop_pool()
    cache_dir = _state["cache_dir"]
    if cache_dir.is_dir():
        for stale in cache_dir.glob("*.json"):
            if stale.name not in _state["used"]:
                stale.unlink()
    timings = _state.get("timings", [])
    if timings:
        width = max(len(src) for src, *_ in timings)
        lines = [f"{'executed page':<{width}}  {'time':>7}  cache  ran in"]
        lines += [
            f"{src:<{width}}  {seconds:6.2f}s  {hit:<5}  {where}".rstrip()
            for src, seconds, hit, where in timings
        ]
        log.info("Executed pages:\n  " + "\n  ".join(lines))
    if _state.get("command") == "build":
        # The process ends right after this. On its way out Python's collector
        # would walk every object the build made (torch's alone cost 0.4 s);
        # frozen, they are left to the exit. Not in `mkdocs serve`, which lives
        # on and must collect the garbage of each rebuild.
        gc.freeze()
