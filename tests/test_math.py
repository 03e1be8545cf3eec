"""Formulas become MathML at build time (overrides/hooks/mathml.py), on small strings of HTML."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from helpers import ROOT, mkdocs_build

_spec = importlib.util.spec_from_file_location("mathml_hook", ROOT / "overrides" / "hooks" / "mathml.py")
mathml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mathml)

INLINE = '<p>The update <span class="arithmatex">\\(w \\leftarrow w - \\eta g\\)</span>, step by step.</p>'
DISPLAY = '<div class="arithmatex">\\[\n\\frac{1}{n}\\sum_{i=1}^{n} (p_i - t_i)^2\n\\]</div>'
NOTEBOOK_MARKDOWN = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'


def page(src_uri: str, markdown: str = "") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), markdown=markdown)


def test_inline_formula_becomes_inline_mathml_in_its_sentence():
    out = mathml.typeset(INLINE)
    assert out.startswith("<p>The update <math>") and out.endswith("</math>, step by step.</p>")
    assert "<mi>η</mi>" in out and '<mo stretchy="false">←</mo>' in out
    assert "arithmatex" not in out and "\\(" not in out


def test_display_formula_becomes_a_block():
    out = mathml.typeset(DISPLAY)
    assert out.startswith('<math display="block">') and out.endswith("</math>")
    assert "<mfrac><mn>1</mn><mi>n</mi></mfrac>" in out and "∑" in out


def test_html_escapes_in_the_tex_are_read_as_characters():
    out = mathml.typeset('<span class="arithmatex">\\(\\eta &lt; 2 / \\lambda\\)</span>')
    assert "<mo>&lt;</mo>" in out and "&amp;lt;" not in out


def test_text_without_formulas_is_unchanged():
    text = "<p>It costs $5, and <code>$x$</code> is code.</p>"
    assert mathml.typeset(text) == text


def test_notebook_markdown_formulas_between_dollars_become_mathml():
    cell = f"{NOTEBOOK_MARKDOWN}<p>Loss $a &lt; b_i$ falls.</p><p>$$\n\\frac{{1}}{{2}}\n$$</p></div>"
    out = mathml.typeset(cell, notebook=True)
    assert "<math><mi>a</mi><mo>&lt;</mo><msub>" in out
    assert '<math display="block"><mfrac><mn>1</mn><mn>2</mn></mfrac></math>' in out
    assert "$" not in out


def test_notebook_code_and_outputs_keep_their_dollars():
    code = '<div class="jp-Cell jp-CodeCell"><pre><code>print("$a$ and $b$")</code></pre></div>'
    markdown = f"{NOTEBOOK_MARKDOWN}<p>Run <code>echo $HOME$</code> then $x$.</p></div>"
    out = mathml.typeset(code + markdown, notebook=True)
    assert out.startswith(code)
    assert "<code>echo $HOME$</code>" in out and "<math><mi>x</mi></math>" in out


def test_dollars_are_maths_only_in_notebooks():
    text = f"{NOTEBOOK_MARKDOWN}<p>$x$</p></div>"
    assert mathml.typeset(text) == text


@pytest.mark.parametrize("tex", ["\\frac{1}{2", "\\notacommand x", "x^"])
def test_a_formula_that_cannot_be_converted_raises_naming_the_tex(tex):
    with pytest.raises(mathml.FormulaError) as error:
        mathml.typeset(f'<span class="arithmatex">\\({tex}\\)</span>')
    assert error.value.tex == tex and error.value.reason


def test_the_build_error_names_the_page_its_line_and_the_tex():
    markdown = "# Title\n\nSome prose.\n\nThe rule $\\frac{1}{2$ here.\n"
    html = '<p>The rule <span class="arithmatex">\\(\\frac{1}{2\\)</span> here.</p>'
    with pytest.raises(PluginError) as error:
        mathml.on_page_content(html, page("fit.md", markdown), {}, None)
    message = str(error.value)
    assert message.startswith("fit.md:5: cannot typeset $\\frac{1}{2$: ")
    assert "\n" not in message and "\x1b" not in message  # one plain line, no colour codes


def test_the_build_error_names_the_notebook():
    html = f"{NOTEBOOK_MARKDOWN}<p>$\\nope$</p></div>"
    with pytest.raises(PluginError, match=r"^end-to-end\.ipynb: cannot typeset \$\\nope\$: "):
        mathml.on_page_content(html, page("end-to-end.ipynb"), {}, None)


@pytest.mark.site
def test_a_page_with_a_broken_formula_fails_the_build_naming_page_and_tex(project_copy, tmp_path):
    page = project_copy / "docs" / "summary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe rule $\\frac{1}{2$ here.\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "summary.md:" in result.stderr
    assert "cannot typeset $\\frac{1}{2$: Expected closing token" in result.stderr
