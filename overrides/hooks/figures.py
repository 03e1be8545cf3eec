"""MkDocs hook: every figure in a file of its own, with alt text that says what it shows.

Figures arrive inside the page's HTML: as inline SVG from Markdown pages
(`sgd_tutorial.to_svg`, which carries the alt text as ``aria-label``) and as
base64 images in notebook output. Inline, they made pages several times larger
than their text. Each one is written to ``assets/figures/<hash>.<ext>``, named
by its content so two builds give the same names, and the page gets an
``<img>`` with the alt text instead.

A notebook figure takes its alt text from the ``alt`` entry of its cell's
metadata. A figure without alt text fails the build. Each ``<img>`` carries the
figure's own width and height, so the browser keeps its place before it loads
(no layout shift).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import struct
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

FIGURES = "assets/figures"

_INLINE_SVG = re.compile(r'<svg role="img" aria-label="([^"]*)".*?</svg>', re.S)
_DATA_IMG = re.compile(r'<img(?: alt="[^"]*")? src="data:image/(svg\+xml|png);base64,([^"]+)"[^>]*>')
_CELL = re.compile(r'id="cell-id=([^"]+)"')
_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_SVG_LENGTH = r'\s{}="([0-9.]+)(pt|px)?"'
_PX_PER = {"pt": 4 / 3, "px": 1.0, None: 1.0}  # CSS units: 1pt = 4/3 px

_files: dict[str, bytes] = {}


def intrinsic_size(data: bytes, extension: str) -> tuple[int, int]:
    """A figure's width and height in CSS pixels, from its SVG root or PNG header.

    Raises:
        ValueError: the figure does not say its size.
    """
    if extension == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    root = _SVG_ROOT.search(data[:4000].decode("utf-8", "replace")) if extension == "svg" else None
    tag = root.group(0) if root else ""
    lengths = [re.search(_SVG_LENGTH.format(name), tag) for name in ("width", "height")]
    if None in lengths:
        raise ValueError(f"a {extension} figure without a width and height")
    return tuple(round(float(m.group(1)) * _PX_PER[m.group(2)]) for m in lengths)


def _figure(data: bytes, extension: str, alt: str, page) -> str:
    name = f"{FIGURES}/{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    try:
        width, height = intrinsic_size(data, extension)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    _files[name] = data
    src = get_relative_url(name, page.url)
    return f'<img class="figure" src="{src}" alt="{alt}" width="{width}" height="{height}" loading="lazy">'


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
