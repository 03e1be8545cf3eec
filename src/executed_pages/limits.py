"""A time limit for a Markdown page's code, so that an endless block fails the build instead of hanging it.

The limit is an alarm signal (``setitimer``) in the thread that renders pages:
MkDocs renders in its main thread, in ``mkdocs build`` and ``mkdocs serve``
alike. When it rings, ``PageTimeout`` is raised inside whatever the page's code
is doing; it derives from ``BaseException`` so that markdown-exec, which catches
``Exception`` to report a failing block, lets it through. (Notebook cells have
their own limit, enforced by nbclient: ``notebooks.py``.)
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class PageTimeout(BaseException):
    """A page's code was still running when its time limit ran out."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``PageTimeout`` in this thread if the block is still running after ``seconds`` (None: no limit).

    Where no alarm can be set (not the main thread, or no ``setitimer``), there is no limit.
    """
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return

    def expire(signum, frame):
        raise PageTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
