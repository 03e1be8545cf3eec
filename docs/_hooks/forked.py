"""Forked copies of the build that render pages while the build renders others.

Not a hook: ``page_cache.py`` uses it. A child is a fork of the MkDocs process,
so it has the configuration, the plugins and the pages as they are at the fork.
It renders the pages it is given the way MkDocs would (which stores them in the
page cache) and reports each one on a pipe as a line of JSON. The parent waits
for that report, then takes the page from the cache. A page the child could not
store (its code failed, or warned) is rendered again by the parent, so every
error is reported by one process, the usual way.

Forking is safe only in a process with a single thread, so ``can_fork`` is
checked first; inside ``mkdocs serve``, whose server threads are running, the
build renders everything itself.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


class Child:
    """A forked process that calls ``work(render)``; ``render(page)`` renders one page and reports it.

    Args:
        label: Where the table of executed pages says these pages ran.
        pages: The pages this child may render, in the build's order.
        populate: Renders a page as MkDocs does (``_populate_page`` with the config and files).
        seconds: The time the child's own bookkeeping gives for a rendered page, if any.
    """

    def __init__(
        self,
        label: str,
        pages: list,
        populate: Callable,
        seconds: Callable[[str], float | None] = lambda src: None,
    ) -> None:
        self.label = label
        self.order = [page.file.src_uri for page in pages]
        self.reports: dict[str, float] = {}
        self._prepare()
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # the child
            os.close(read)
            try:
                _quiet()
                with os.fdopen(write, "w", buffering=1, encoding="utf-8") as out:

                    def render(page) -> None:
                        start = time.perf_counter()
                        with suppress(Exception):  # the parent renders it again and reports why
                            populate(page)
                        src = page.file.src_uri
                        took = seconds(src)
                        out.write(
                            json.dumps([src, time.perf_counter() - start if took is None else took]) + "\n"
                        )

                    self.work(pages, render)
            finally:
                os._exit(0)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write)
        self.pipe = os.fdopen(read, encoding="utf-8")

    def _prepare(self) -> None:
        """Set up, before the fork, what parent and child share."""

    def work(self, pages: list, render: Callable) -> None:
        """In the child: render the pages."""
        for page in pages:
            render(page)

    def owns(self, src: str) -> bool:
        """In the parent: whether the child renders this page (the parent then waits for it)."""
        return src in self.order

    def wait(self, src: str) -> float | None:
        """The child's time for a page once it reported it; None if it died first."""
        while src not in self.reports:
            line = self.pipe.readline()
            if not line:
                return None
            done, seconds = json.loads(line)
            self.reports[done] = seconds
        return self.reports[src]

    def stop(self) -> None:
        os.kill(self.pid, signal.SIGKILL)  # a no-op once it has exited
        os.waitpid(self.pid, 0)
        self.pipe.close()


class SharedChild(Child):
    """A child that shares its pages with the parent: it takes them from the end, the parent from the start.

    Each page is claimed under a lock by whichever process comes to it first, so
    the two meet wherever the work splits evenly, whatever each page costs.
    """

    FREE, PARENT, CHILD = 0, 1, 2

    def _prepare(self) -> None:
        self.claims = multiprocessing.Array("b", len(self.order))  # all FREE

    def _claim(self, index: int, who: int) -> bool:
        with self.claims.get_lock():
            if self.claims[index] == self.FREE:
                self.claims[index] = who
            return self.claims[index] == who

    def work(self, pages: list, render: Callable) -> None:
        for index in reversed(range(len(pages))):
            if not self._claim(index, self.CHILD):
                break
            render(pages[index])

    def owns(self, src: str) -> bool:
        return src in self.order and not self._claim(self.order.index(src), self.PARENT)


def _quiet() -> None:
    # Whatever goes wrong in a child is reported when the parent renders the
    # page again; the handlers that count warnings per page are added later.
    for name in (None, "mkdocs"):
        logging.getLogger(name).handlers.clear()
    logging.getLogger("mkdocs").propagate = False
