"""MkDocs hook: `mkdocs serve` notices a saved file within 0.1 s instead of 0.5 s.

MkDocs watches the docs with watchdog's polling observer, which looks for
changes every half second, and has no option to change that. After a prose
edit that wait was as long as the rebuild itself. Polling the docs, the package
and mkdocs.yml ten times a second costs little: a few hundred ``stat`` calls.
"""

from __future__ import annotations

from watchdog.observers.polling import PollingObserver

POLL_SECONDS = 0.1


def on_serve(server, config, builder):
    # The paths watched so far, with how many times each (a private record of
    # MkDocs 1.6; the version is pinned in constraints.txt).
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server
