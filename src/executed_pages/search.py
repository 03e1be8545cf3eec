"""The search index's entries of pages that did not change, kept across `mkdocs serve` rebuilds.

Material's search plugin parses the HTML of every page on every build to index
it, and a page full of highlighted code is thousands of elements: under
`mkdocs serve`, where most pages come from the cache unchanged, that was about
half of each rebuild (see the README's "Speed-ups" table). The plugin, which
`mkdocs serve` keeps across rebuilds, keeps each page's entries with everything
they are made from, and hands them back only when all of it is the same.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from . import upstream


def _toc(links) -> tuple:
    return tuple((link.url, link.title, link.level, _toc(link.children)) for link in links)


def made_from(page) -> tuple:
    """Everything Material's search reads of a page to index it (see upstream.py)."""
    meta = json.dumps(page.meta, sort_keys=True, default=repr)
    return page.url, page.title, meta, _toc(page.toc), page.content


class SearchEntries:
    """Each page's search entries, by what they were made from, as of the latest build."""

    def __init__(self) -> None:
        self._kept: dict[tuple, list[dict]] = {}
        self._now: dict[tuple, list[dict]] = {}
        self.reused = 0  # pages whose kept entries the latest build used

    def attach(self, config) -> None:
        """Index this build's pages through the entries kept from the build before.
        Does nothing without Material's search."""
        index = upstream.search_index(config)
        if index is None:
            return
        self._kept, self._now, self.reused = self._now, {}, 0
        upstream.index_pages_with(index, self.entries_of)

    def entries_of(self, page, make: Callable[[], list[dict]]) -> list[dict]:
        key = made_from(page)
        entries = self._kept.get(key)
        if entries is None:
            entries = make()
        else:
            self.reused += 1
        self._now[key] = entries
        return copy.deepcopy(entries)  # the index's own, whatever it does with them
