"""Notebook pages: each runs top to bottom in a Jupyter kernel of its own, beside the build.

The kernels start as soon as the build knows which notebooks must run (``on_nav``),
on threads of the MkDocs process; the build renders other pages meanwhile and
waits for a notebook only when it reaches its page. mkdocs-jupyter then renders
the executed copy (it is configured with ``execute: false``, so nothing runs twice).

Execution stops at the first failing cell, as ``allow_errors: false`` would. A
notebook that failed is never run a second time in the same build: its error is
kept and raised for its page.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import errors, snapshot


def execute(source: Path, executed: Path, timeout: int | None = None) -> float:
    """Run a notebook top to bottom in a fresh kernel and save it with its outputs; return the seconds.

    Args:
        source: The notebook.
        executed: Where to write the executed copy.
        timeout: Seconds each cell may take (None: no limit).

    Raises:
        PluginError: The notebook cannot be read, a cell raised, or the kernel died;
            the message names the page (the notebook's file name) and the cell.
    """
    import nbformat  # imported here: a build with every page cached needs neither
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    start = time.perf_counter()
    try:
        notebook = nbformat.read(source, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a file that is not a notebook
        raise PluginError(
            f"{source.name}: cannot read the notebook ({type(error).__name__}: {error})"
        ) from None
    # Jupyter's working directory is the notebook's folder. The outputs are in
    # hand when the last cell ends, so the kernel is killed rather than waited on.
    # A cell's printed lines reach the client in chunks whose boundaries depend
    # on timing; coalesced, a cell's output is the same on every build.
    client = NotebookClient(
        notebook,
        timeout=timeout,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(source.parent)}},
        coalesce_streams=True,
    )
    running: list[int] = []  # the index of the cell that runs now
    client.on_cell_start = lambda cell, cell_index: running.append(cell_index)
    executed.parent.mkdir(parents=True, exist_ok=True)
    # What the kernel process itself prints (ipykernel warns about its local TCP
    # sockets on every start) goes to a log beside the executed copy, not into
    # the build's output; the cells' own output comes back as messages.
    try:
        with executed.with_suffix(".kernel.log").open("w") as kernel_log:
            # An event loop of this thread's own, closed at the end (the
            # synchronous execute() leaves one open per thread).
            asyncio.run(client.async_execute(stderr=kernel_log))
    except CellExecutionError as error:
        errors.log.debug("%s: %s", source.name, error)
        raise PluginError(errors.summarise_cell_error(error, source.name, source)) from None
    except CellTimeoutError:
        cell = f"cell {running[-1] + 1}" if running else "a cell"
        raise PluginError(
            f"{source.name}: {cell} still running after {timeout} s, the time limit per cell"
            " (cell_timeout of executed-pages in mkdocs.yml)"
        ) from None
    except DeadKernelError:
        raise PluginError(f"{source.name}: the notebook's kernel died while running it") from None
    snapshot.write_whole(executed, nbformat.writes(notebook) + "\n")
    return time.perf_counter() - start


class Kernels:
    """Notebooks running beside the build, each in its own kernel; one run per notebook per build.

    Each runs on a daemon thread: a build stopped by Ctrl-C does not wait for
    it, and its kernel, whose parent is gone, stops by itself (ipykernel's
    parent poller).

    Args:
        timeout: Seconds each cell may take (None: no limit).
    """

    def __init__(self, timeout: int | None = None) -> None:
        self.timeout = timeout
        self._runs: dict[str, Future] = {}

    def start(self, src_uri: str, source: Path, executed: Path) -> None:
        """Start running a notebook (once: a second call for the same page does nothing)."""
        if src_uri in self._runs:
            return
        # The notebook client imports IPython (for its folder of kernels) while
        # matplotlib, in the build's thread, may look it up in sys.modules and
        # find it half imported. Imported here first, it is whole for both.
        import IPython  # noqa: F401

        self._runs[src_uri] = future = Future()

        def run() -> None:
            try:
                future.set_result(execute(source, executed, self.timeout))
            except BaseException as error:  # raised again in the build's thread, by result()
                future.set_exception(error)

        threading.Thread(target=run, name=f"notebook {src_uri}", daemon=True).start()

    def result(self, src_uri: str, source: Path, executed: Path) -> float:
        """Wait for a notebook's run (starting it if it was not) and return its seconds.

        Raises:
            PluginError: The run failed (the same error every time it is asked for).
        """
        self.start(src_uri, source, executed)
        return self._runs[src_uri].result()
