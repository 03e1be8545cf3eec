"""MkDocs hook: every figure in a file of its own, with alt text that says what it shows.

Figures arrive inside the page's HTML: as inline SVG from Markdown pages
(`sgd_tutorial.to_svg`, which carries the alt text as ``aria-label``) and as
base64 images in notebook output. Inline, they made pages several times larger
than their text. Each one is written to ``assets/figures/<hash>.<ext>``, named
by its content so two builds give the same names, and the page gets an
``<img>`` with the alt text instead.

A notebook figure takes its alt text from the ``alt`` entry of its cell's
metadata. A figure without alt text fails the build.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

FIGURES = "assets/figures"

_INLINE_SVG = re.compile(r'<svg role="img" aria-label="([^"]*)".*?</svg>', re.S)
_DATA_IMG = re.compile(r'<img(?: alt="[^"]*")? src="data:image/(svg\+xml|png);base64,([^"]+)"[^>]*>')
_CELL = re.compile(r'id="cell-id=([^"]+)"')

_files: dict[str, bytes] = {}


def _figure(data: bytes, extension: str, alt: str, page) -> str:
    name = f"{FIGURES}/{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    _files[name] = data
    src = get_relative_url(name, page.url)
    return f'<img class="figure" src="{src}" alt="{alt}" loading="lazy">'


def _inline_svg(match: re.Match, page) -> str:
    return _figure(match.group(0).encode("utf-8"), "svg", match.group(1), page)


def _notebook_alts(page) -> dict[str, str]:
    cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["cells"]
    return {cell.get("id", ""): cell.get("metadata", {}).get("alt", "") for cell in cells}


def on_pre_build(config):
    _files.clear()


def on_page_content(content, page, config, files):
    content = _INLINE_SVG.sub(lambda m: _inline_svg(m, page), content)
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    alts = _notebook_alts(page)
    cells = [(m.start(), m.group(1)) for m in _CELL.finditer(content)]

    def replace(match: re.Match) -> str:
        cell = next((cid for start, cid in reversed(cells) if start < match.start()), "")
        alt = alts.get(cell, "").strip()
        if not alt:
            number = list(alts).index(cell) + 1 if cell in alts else "?"
            raise PluginError(
                f"{page.file.src_uri}: cell {number} draws a figure without alt text; "
                'say what it shows in the cell\'s metadata, as "alt"'
            )
        kind = "svg" if match.group(1) == "svg+xml" else "png"
        return _figure(base64.b64decode(match.group(2)), kind, html.escape(alt, quote=True), page)

    return _DATA_IMG.sub(replace, content)


def on_post_build(config):
    for name, data in _files.items():
        path = Path(config.site_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
