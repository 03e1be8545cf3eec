"""Executed pages as notebooks: cells, outputs, the install cell, stable bytes, valid files."""

from __future__ import annotations

import json
import textwrap

import nbformat
import pytest

from executed_pages.notebook_export import (
    INSTALL_TAG,
    Origin,
    colab_url,
    dumps,
    executed_notebook,
    install_source,
    markdown_notebook,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"
ORIGIN = Origin(
    package="sgd-tutorial",
    repo_url="https://github.com/owner/name",
    commit=COMMIT,
    torch_version="2.13.0+cpu",
    page_url="https://owner.github.io/name/page/",
)
SITE = "https://owner.github.io/name/"

# Three blocks, as pages have them: code with text output and a hidden line, a
# check that shows nothing, a figure whose printing lines are hidden.
PAGE = textwrap.dedent(
    """\
    # A page

    Prose with a [link](other.md#part), $x^2$ and a [local anchor](#a-page).

    ```python exec="on" source="above" result="text" session="s"
    x = 2
    print("x is", x)
    y = 3  # markdown-exec: hide
    ```

    ```python exec="on" session="s"
    assert x == 2
    ```

    ```python exec="on" html="1" source="above" session="s"
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2])
    print(to_svg(fig, "a rising line"))  # markdown-exec: hide
    ```

    Closing prose.
    """
)
SVG = '<svg role="img" aria-label="a rising line" xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'
OUTPUTS = ["x is 2\n", "", SVG + "\n"]


def notebook(page=PAGE, outputs=OUTPUTS, origin=ORIGIN, **kwargs):
    return markdown_notebook(page, outputs, origin, page_uri="page.md", site_url=SITE, **kwargs)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_first_cell_installs_the_package_pinned_to_the_commit():
    first = notebook().cells[0]
    assert first.cell_type == "code"
    assert first.metadata["tags"] == [INSTALL_TAG]
    assert f'"sgd-tutorial @ git+https://github.com/owner/name@{COMMIT}"' in first.source
    # torch: the version the pages ran with, without its local part, from the CPU index.
    assert '"torch==2.13.0", "--index-url", "https://download.pytorch.org/whl/cpu"' in first.source
    assert "https://owner.github.io/name/page/" in first.source


def test_the_install_cell_is_python_that_compiles():
    compile(install_source(ORIGIN), "install", "exec")


def test_outside_a_git_checkout_the_install_cell_says_so_and_takes_the_default_branch():
    source = install_source(Origin("sgd-tutorial", "https://github.com/owner/name", None, "2.13.0"))
    assert '"sgd-tutorial @ git+https://github.com/owner/name")' in source
    assert "outside a git checkout" in source
    compile(source, "install", "exec")


def test_without_a_repository_the_install_cell_installs_no_package():
    source = install_source(Origin("sgd-tutorial", None, COMMIT, "2.13.0"))
    assert "git+" not in source
    assert "no repository" in source
    compile(source, "install", "exec")


def test_without_torch_the_install_cell_installs_none():
    source = install_source(Origin("tinypkg", "https://github.com/owner/name", COMMIT, None))
    assert "torch" not in source
    assert f'pip_install("tinypkg @ git+https://github.com/owner/name@{COMMIT}")' in source
    compile(source, "install", "exec")


@pytest.mark.parametrize(
    "origin",
    [Origin("p", "https://github.com/o/n", "not-a-commit", "2.13.0"), Origin("p", None, None, "latest")],
)
def test_bad_origins_raise(origin):
    with pytest.raises(ValueError):
        install_source(origin)


def test_prose_becomes_markdown_cells_and_each_block_a_code_cell():
    nb = notebook()
    assert [cell.cell_type for cell in nb.cells] == ["code", "markdown", "code", "code", "code", "markdown"]
    assert nb.cells[1].source.startswith("# A page\n\nProse with")
    assert nb.cells[-1].source == "Closing prose."


def test_hidden_lines_are_gone_from_shown_blocks():
    cells = code_cells(notebook())[1:]
    assert cells[0].source == 'x = 2\nprint("x is", x)'
    assert "markdown-exec" not in "".join(cell.source for cell in cells)
    assert "to_svg" not in cells[2].source


def test_a_block_that_shows_nothing_stays_a_cell_that_runs():
    check = code_cells(notebook())[2]
    assert check.source == "assert x == 2"
    assert check.outputs == []


def test_outputs_are_attached_as_the_build_computed_them():
    _, text, check, figure = code_cells(notebook())
    assert text.outputs == [nbformat.v4.new_output("stream", name="stdout", text="x is 2\n")]
    assert check.outputs == []
    [display] = figure.outputs
    assert display.output_type == "display_data"
    assert display.data["image/svg+xml"] == SVG
    assert display.data["text/plain"] == "a rising line"  # the figure's alt text


def test_a_figure_cell_does_not_echo_its_last_value():
    figure = code_cells(notebook())[3]
    assert figure.source.endswith("ax.plot([1, 2]);")


def test_an_html_block_that_prints_no_figure_keeps_what_it_printed():
    page = '```python exec="on" html="1" source="above"\nprint("<b>hi</b>")\n```\n'
    [cell] = code_cells(notebook(page, ["<b>hi</b>\n"]))[1:]
    assert cell.outputs == [nbformat.v4.new_output("stream", name="stdout", text="<b>hi</b>\n")]


def test_links_point_at_the_published_site():
    prose = notebook().cells[1].source
    assert "[link](https://owner.github.io/name/other/#part)" in prose
    assert "[local anchor](https://owner.github.io/name/page/#a-page)" in prose
    assert "$x^2$" in prose  # formulas stay TeX, which notebooks render


def test_links_stay_as_they_are_without_a_site_url():
    nb = markdown_notebook(PAGE, OUTPUTS, ORIGIN, page_uri="page.md")
    assert "[link](other.md#part)" in nb.cells[1].source


def test_admonitions_exercises_and_package_code():
    page = textwrap.dedent(
        """\
        # Title

        !!! abstract "What you will learn"

            - a thing.

        ## Summary

        ??? question "Exercise: more"

            Try it.

            ??? success "Solution"

                ```python exec="on" source="block" result="text" session="s"
                print(1)
                ```

        ??? info "`f`"

            ```python exec="on" result="python" session="s"
            print(source(f))  # markdown-exec: hide
            ```
        """
    )
    nb = notebook(page, ["1\n", "def f():\n    pass\n"])
    sources = [cell.source for cell in nb.cells[1:]]
    assert sources == [
        "# Title\n\n> **What you will learn**\n>\n> - a thing.\n\n## Summary\n\n"
        "### Exercise: more\n\nTry it.\n\n#### Solution",
        "print(1)",
        "> **`f`**\n>\n> ```python\n> def f():\n>     pass\n> ```",
    ]
    assert nb.cells[2].outputs[0].text == "1\n"


def test_raw_html_becomes_a_link_to_the_page():
    page = '# T\n\n<div id="widget">\n  <canvas></canvas>\n</div>\n<!-- a\ncomment -->\n\nAfter.\n'
    [_, prose] = notebook(page, []).cells
    assert prose.source == (
        "# T\n\n*An interactive part of this page cannot run in a notebook: see "
        "[the page on the site](https://owner.github.io/name/page/).*\n\nAfter."
    )


def test_the_number_of_outputs_must_match_the_blocks():
    with pytest.raises(ValueError, match="3 exec blocks but 2 outputs"):
        notebook(outputs=OUTPUTS[:2])


def test_an_unclosed_fence_is_an_error():
    with pytest.raises(ValueError, match="never closed"):
        notebook('```python exec="on"\nprint(1)\n', [""])


def test_the_same_page_gives_the_same_bytes_and_a_valid_notebook():
    first, second = dumps(notebook()), dumps(notebook())
    assert first == second
    nb = nbformat.reads(first, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.nbformat_minor >= 5
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids)
    assert first.endswith("}\n") and json.loads(first)["cells"][0]["id"] == ids[0]


def test_a_prose_edit_changes_only_the_ids_of_cells_it_changes():
    before = notebook()
    after = notebook(PAGE.replace("Closing prose.", "Closing words."))
    assert [c.id for c in before.cells[:-1]] == [c.id for c in after.cells[:-1]]
    assert before.cells[-1].id != after.cells[-1].id


def test_an_executed_notebook_gets_the_install_cell_and_loses_its_run_times():
    source = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Nb", id="cell-00"),
            nbformat.v4.new_code_cell(
                "print(1)",
                id="cell-01",
                execution_count=1,
                metadata={"tags": ["hide_cell"], "execution": {"iopub.execute_input": "2026-01-01T00:00"}},
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    before = nbformat.writes(source)
    nb = executed_notebook(source, ORIGIN)
    assert nbformat.writes(source) == before  # the executed copy is not changed
    assert nb.cells[0].metadata["tags"] == [INSTALL_TAG]
    assert nb.cells[2].metadata == {"tags": ["hide_cell"]}
    assert nb.cells[2].outputs[0].text == "1\n"
    assert nb.metadata.kernelspec.name == "python3"
    assert dumps(nb) == dumps(executed_notebook(source, ORIGIN))


@pytest.mark.parametrize(
    ("repo_url", "expected"),
    [
        (
            "https://github.com/owner/name",
            "https://colab.research.google.com/github/owner/name/blob/gh-pages/fit.ipynb",
        ),
        (
            "https://github.com/owner/name.git/",
            "https://colab.research.google.com/github/owner/name/blob/gh-pages/fit.ipynb",
        ),
        ("https://gitlab.com/owner/name", None),
        ("https://github.com/owner", None),
        (None, None),
    ],
)
def test_colab_links_only_for_github_repositories(repo_url, expected):
    assert colab_url(repo_url, "gh-pages", "fit.ipynb") == expected


def test_code_shown_in_prose_is_left_as_it_is():
    page = "## Section\n\n```python\n# not a heading\nx = '[a](b.md)'\n```\n\n"
    page += '!!! note ""\n\n    Untitled.\n\n'
    page += '??? question "Exercise"\n\n    ```python exec="on" source="above"\n    pass\n    ```\n'
    nb = notebook(page, [""])
    assert nb.cells[1].source == (
        "## Section\n\n```python\n# not a heading\nx = '[a](b.md)'\n```\n\n> Untitled.\n\n"
        "### Exercise"  # one level below the section's heading, not below the comment in the code
    )
