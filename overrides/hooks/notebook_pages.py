"""MkDocs hook: notebook pages as light as Markdown pages, and nothing loaded from elsewhere.

mkdocs-jupyter writes into every notebook page about 590 KB of JupyterLab CSS,
a copy-to-clipboard widget per code cell with the script behind it, and loaders
for MathJax and Mermaid that fetch from CDNs. Here:

- the CSS moves into one shared file that the browser caches
  (``assets/stylesheets/jupyter.css``), linked from each notebook page;
- the page's scripts and widgets go: code cells and printed text become
  ``<pre><code>`` so they get Material's copy button like every other code block, and no page has maths
  or diagrams (readers may be offline, so a CDN loader is never wanted);
- a code cell tagged ``solution`` is folded into a collapsible "Solution" block,
  like the exercises' solutions on the Markdown pages (cells cannot nest inside
  a notebook's own HTML).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

CSS_PATH = "assets/stylesheets/jupyter.css"

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_CLIPBOARD = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S)
_CELL_START = '<div class="jp-Cell '
_TAG_TOOLBAR = re.compile(
    r'<div class="celltoolbar">\s*<div class="button_container tags_button_container">.*?</div>\s*</div>',
    re.S,
)
_TEXT_OUTPUT = re.compile(r'(<div class="jp-RenderedText[^"]*"[^>]*>\s*<pre>)(.*?)(</pre>)', re.S)
_EMPTY_COLLAPSER = re.compile(r'<div class="jp-Collapser[^"]*">\s*</div>')
_CODE = re.compile(r'(<div class="highlight-ipynb[^"]*"><pre>)(.*?)(</pre>)', re.S)

# Each stylesheet once, in the order first met, so the file is the same every build.
_css: dict[str, None] = {}


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_pre_build(config):
    _css.clear()


def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return html
    for css in _STYLE.findall(html):
        # IPython's Code display brings Pygments' default stylesheet for class
        # "highlight", which Material already styles (in both palettes, with
        # enough contrast); keeping it would override Material's colours.
        if ".highlight .hll" not in css:
            _css.setdefault(css.strip(), None)
    html = _CLIPBOARD.sub("", _SCRIPT.sub("", _STYLE.sub("", html)))
    html = _EMPTY_COLLAPSER.sub("", html)  # JupyterLab's fold buttons, empty and inert here
    html = _TAG_TOOLBAR.sub("", html)  # cell tags are for the build, not for readers
    html = _TEXT_OUTPUT.sub(r"\1<code>\2</code>\3", html)  # printed text can be copied too
    html = _fold_solutions(_CODE.sub(r"\1<code>\2</code>\3", html), page.file.src_uri)
    # Material's token colours (with their dark-palette variants and tested
    # contrast) apply to elements of class "highlight".
    return html.replace('<div class="highlight-ipynb', '<div class="highlight highlight-ipynb')


def _fold_solutions(html: str, page: str) -> str:
    """Wrap each cell tagged ``solution`` (up to the next cell) in a collapsed admonition."""
    start = html.find("celltag_solution")
    while start != -1:
        begin = html.rfind(_CELL_START, 0, start)
        # A tagged cell comes as an outer and an inner div, both carrying the tag.
        end = html.find(_CELL_START, start)
        while end != -1 and "celltag_solution" in html[end : html.find(">", end)]:
            end = html.find(_CELL_START, end + 1)
        if begin == -1 or end == -1:
            raise PluginError(f"{page}: a cell tagged solution must be followed by another cell")
        folded = f'<details class="success"><summary>Solution</summary>{html[begin:end]}</details>'
        html = html[:begin] + folded + html[end:]
        start = html.find("celltag_solution", begin + len(folded))
    return html


def on_post_page(output, page, config):
    if not _is_notebook(page):
        return output
    link = f'<link rel="stylesheet" href="{get_relative_url(CSS_PATH, page.url)}">'
    return output.replace("</head>", f"  {link}\n  </head>", 1)


def on_post_build(config):
    if _css:
        path = Path(config.site_dir) / CSS_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(_css), encoding="utf-8")
