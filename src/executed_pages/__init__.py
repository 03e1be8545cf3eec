"""executed-pages: a MkDocs plugin that runs a site's code only when its output could have changed.

Pages that execute code (markdown-exec blocks, mkdocs-jupyter notebooks, and
mkdocstrings ``:::`` lines) are cached on a key covering their source, the
modules of one package they import, and the versions and settings that decide
their output. Failures of page code stop the build with one short message.
See ``plugin.py`` for the data flow.
"""

from executed_pages.plugin import ExecutedPagesConfig, ExecutedPagesPlugin

__all__ = ["ExecutedPagesConfig", "ExecutedPagesPlugin"]
