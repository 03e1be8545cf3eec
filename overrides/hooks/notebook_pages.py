"""MkDocs hook: notebook pages as light as Markdown pages, and nothing loaded from elsewhere.

mkdocs-jupyter writes into every notebook page about 590 KB of JupyterLab CSS,
a copy-to-clipboard widget per code cell with the script behind it, and loaders
for MathJax and Mermaid that fetch from CDNs. Here:

- the CSS goes: Material styles the cells as it styles Markdown pages, and the
  little that is particular to notebooks (printed output boxed under its code)
  is in ``docs/stylesheets/notebook.css``, linked from each notebook page;
- the page's scripts and widgets go: code cells, printed text and shown source
  become ``<pre><code>`` so they get Material's copy button and look like every
  other code block; headings get Material's permanent links; formulas are
  typeset by ``mathml.py`` (readers may be offline, so a CDN loader is never wanted);
- a code cell tagged ``solution`` is folded into a collapsible "Solution" block,
  like the exercises' solutions on the Markdown pages (cells cannot nest inside
  a notebook's own HTML).
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

CSS_PATH = "stylesheets/notebook.css"

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_CLIPBOARD = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S)
_COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.S)  # the widget's text
_CELL_START = '<div class="jp-Cell '
_TAG_TOOLBAR = re.compile(
    r'<div class="celltoolbar">\s*<div class="button_container tags_button_container">.*?</div>\s*</div>',
    re.S,
)
_TEXT_OUTPUT = re.compile(r'(<div class="jp-RenderedText[^"]*"[^>]*>\s*<pre>)(.*?)(</pre>)', re.S)
_EMPTY_COLLAPSER = re.compile(r'<div class="jp-Collapser[^"]*">\s*</div>')
# Code cells, and source shown with IPython's Code display (class "highlight").
_CODE = re.compile(r'(<div class="highlight(?:-ipynb[^"]*)?"><pre>)(.*?)(</pre>)', re.S)


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return html
    html = _CLIPBOARD.sub("", _SCRIPT.sub("", _STYLE.sub("", html)))
    html = _COPY_TEXT.sub("", html)
    html = html.replace('<a class="anchor-link" ', '<a class="headerlink" title="Permanent link" ')
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
