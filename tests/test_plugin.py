"""What the plugin does for the process it runs in, apart from any page."""

from __future__ import annotations

import atexit
import gc

from executed_pages.plugin import ExecutedPagesPlugin


def test_mkdocs_build_skips_pythons_last_garbage_collections_once_and_serve_does_not(monkeypatch):
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    plugin = ExecutedPagesPlugin()
    plugin.on_startup(command="serve", dirty=False)
    assert registered == []  # serve's process lives on after each build
    plugin.on_startup(command="build", dirty=False)
    plugin.on_startup(command="build", dirty=False)  # in-process builds (tests) start it again
    assert registered == [gc.freeze]
