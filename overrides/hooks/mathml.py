"""MkDocs hook: formulas typeset as MathML when the site is built, so pages load no maths script.

Pages write TeX: ``$...$`` inline and ``$$...$$`` on lines of their own. In
Markdown pages pymdownx.arithmatex (generic mode) sets them apart as
``<span class="arithmatex">\\(...\\)</span>`` and ``<div class="arithmatex">\\[...\\]</div>``;
in a notebook's Markdown cells nbconvert leaves them as ``$...$`` and ``$$...$$``
in the text. Each becomes a ``<math>`` element made by math-core (LaTeX to
MathML Core, the MathML that browsers implement), which every current browser
draws and screen readers read as mathematics.

A formula math-core cannot convert (an unknown command, an unclosed brace) fails
the build, naming the page and the TeX: a silently wrong formula is worse than none.

In a notebook, a literal dollar sign in Markdown is written ``&#36;``: nbconvert
turns ``\\$`` into a plain ``$``, which could pair with another one.
"""

from __future__ import annotations

import html
import re

from math_core import LatexError, LatexToMathML
from mkdocs.exceptions import PluginError

# Compact messages (math-core's default is a multi-line, colour-coded report).
_CONVERTER = LatexToMathML(fancy_error=False)

_ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.S,
)
# What nbconvert's Markdown renderer took for maths (its own patterns, so that
# the two agree on what is a formula): display first, then inline; a dollar
# sign after a backslash is text.
_DOLLARS = re.compile(
    r"(?<!\\)\$\$(?P<display>.*?)(?<!\\)\$\$|(?<![$\\])\$(?P<inline>.+?)(?<![$\\])\$",
    re.S,
)
# Rendered Markdown (a notebook's Markdown cells and Markdown outputs) runs up to
# the next cell; inside it, code and preformatted text are never maths.
_MARKDOWN_START = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown'
_CELL_START = '<div class="jp-Cell '
_LITERAL = re.compile(r"<(pre|code)\b.*?</\1>|<[^>]*>", re.S)


class FormulaError(ValueError):
    """A formula that math-core cannot convert.

    Attributes:
        tex: the formula's TeX, as the page wrote it.
        reason: math-core's message.
    """

    def __init__(self, tex: str, reason: str):
        self.tex, self.reason = tex, reason
        super().__init__(f"cannot typeset {tex!r}: {reason}")


def to_mathml(tex: str, *, display: bool) -> str:
    """One formula as a ``<math>`` element.

    Args:
        tex: the formula, unescaped TeX (``a < b``, not ``a &lt; b``).
        display: a formula on its own line (``display="block"``), not within text.

    Returns:
        The MathML, on one line.

    Raises:
        FormulaError: math-core cannot convert ``tex``.
    """
    try:
        return _CONVERTER.convert_with_local_state(tex, displaystyle=display)
    except LatexError as error:
        # math-core's compact message starts with the offset of the error in the TeX.
        offset, _, reason = str(error).strip().partition(": ")
        if offset.isdigit():
            reason = f"{reason.rstrip('.')} (at character {int(offset) + 1})"
        raise FormulaError(tex.strip(), reason or str(error)) from None


def _replace(match: re.Match) -> str:
    display = match.group("display") is not None
    tex = html.unescape(match.group("display") if display else match.group("inline"))
    return to_mathml(tex, display=display)


def _notebook_markdown(text: str) -> str:
    """Formulas between dollar signs in rendered Markdown, outside code, tags and attributes."""
    parts, end = [], 0
    for literal in _LITERAL.finditer(text):
        parts += [_DOLLARS.sub(_replace, text[end : literal.start()]), literal.group(0)]
        end = literal.end()
    return "".join([*parts, _DOLLARS.sub(_replace, text[end:])])


def typeset(content: str, *, notebook: bool = False) -> str:
    """Every formula of a page's HTML as MathML.

    Args:
        content: the HTML of a page's content.
        notebook: the page is a notebook rendered by mkdocs-jupyter, whose
            Markdown cells keep their formulas between dollar signs.

    Returns:
        The HTML with a ``<math>`` element in place of each formula.

    Raises:
        FormulaError: for the first formula that cannot be converted.
    """
    content = _ARITHMATEX.sub(_replace, content)
    if not notebook:
        return content
    pieces, start = [], content.find(_MARKDOWN_START)
    end = 0
    while start != -1:
        stop = content.find(_CELL_START, start)
        stop = len(content) if stop == -1 else stop
        pieces += [content[end:start], _notebook_markdown(content[start:stop])]
        end = stop
        start = content.find(_MARKDOWN_START, stop)
    return "".join([*pieces, content[end:]])


def on_page_content(html, page, config, files):
    try:
        return typeset(html, notebook=page.file.src_uri.endswith(".ipynb"))
    except FormulaError as error:
        where = page.file.src_uri
        line = (page.markdown or "").find(error.tex) if where.endswith(".md") else -1
        if line >= 0:
            where += f":{page.markdown.count(chr(10), 0, line) + 1}"
        raise PluginError(f"{where}: cannot typeset ${error.tex}$: {error.reason}") from None
