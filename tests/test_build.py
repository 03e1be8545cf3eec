"""How the build behaves: never stale, loud and short on failure, reproducible."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import (
    FORK_REFUSED,
    ONE_PROCESS,
    ROOT,
    executed_pages,
    html_to_text,
    mkdocs_build,
    page_text,
    served_path,
)

pytestmark = pytest.mark.site

# A constant of the package that both page types print something computed from.
CONSTANT = "return 0.75 * (time - centre) ** 2 + 1\n"
CHANGED = "return 0.75 * (time - centre) ** 2 + 101\n"

PRINT_VALUES = """
from sgd_tutorial import init_params, make_speed_data, mse, quadratic
time, speed = make_speed_data(n=20, noise=3.0, seed=42)
print(mse(quadratic(time, init_params(seed=10)), speed))
print("speed:", speed)
"""


def values_from(src: Path) -> tuple[str, str]:
    """What the backpropagation page (loss) and the notebook (speed) print, for a package at src."""
    command = [sys.executable, "-c", PRINT_VALUES]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(src)})
    loss, speed = out.stdout.split("\n", 1)
    return loss, " ".join(speed.split())


def shown(site: Path) -> tuple[str, str]:
    loss = re.search(r"tensor\([0-9.]+, grad_fn=<MeanBackward0>\)", page_text(site, "backpropagation"))[0]
    speed = re.search(r"speed: tensor\(\[[^\]]*\]\)", page_text(site, "end-to-end")).group(0)
    return loss, " ".join(speed.split())


def change_constant(project: Path) -> None:
    data = project / "src" / "sgd_tutorial" / "data.py"
    text = data.read_text()
    assert CONSTANT in text, "the test's constant moved; update CONSTANT"
    data.write_text(text.replace(CONSTANT, CHANGED))


def test_a_package_change_reaches_both_page_types_through_a_warm_cache(project_copy, tmp_path):
    env = {"PYTHONPATH": str(project_copy / "src")}  # build against the copy's package
    first = mkdocs_build(project_copy, tmp_path / "a", env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert shown(tmp_path / "a") == values_from(project_copy / "src")

    change_constant(project_copy)
    second = mkdocs_build(project_copy, tmp_path / "b", env=env)
    assert second.returncode == 0, second.stderr[-3000:]
    new = values_from(project_copy / "src")
    assert new != shown(tmp_path / "a")
    assert shown(tmp_path / "b") == new
    pages = executed_pages(second.stderr)
    assert pages["end-to-end.ipynb"][0] == pages["backpropagation.md"][0] == "miss"


def test_a_change_to_one_module_runs_only_the_pages_that_use_it(project_copy, tmp_path):
    env = {"PYTHONPATH": str(project_copy / "src")}
    assert mkdocs_build(project_copy, tmp_path / "before", env=env).returncode == 0
    module = project_copy / "src" / "sgd_tutorial" / "autograd.py"
    text = module.read_text()
    old = "Nodes are the ``grad_fn`` objects"
    assert old in text, "the test's docstring moved; update it"
    module.write_text(text.replace(old, "Nodes (changed by the test) are the ``grad_fn`` objects"))

    after = mkdocs_build(project_copy, tmp_path / "after", env=env)
    assert after.returncode == 0, after.stderr[-3000:]
    pages = executed_pages(after.stderr)
    run = {page for page, (status, _) in pages.items() if status != "hit"}
    assert run == {"inside-backprop.md", "api/figures.md"}, pages  # the two that use autograd.py
    assert "Nodes (changed by the test)" in page_text(tmp_path / "after", "api/figures")
    # The pages kept from the cache are what a build from nothing makes.
    shutil.rmtree(project_copy / ".cache")
    assert mkdocs_build(project_copy, tmp_path / "cold", env=env).returncode == 0
    assert _differences(filecmp.dircmp(tmp_path / "after", tmp_path / "cold")) == []


def test_a_cell_printing_in_bursts_gives_one_output_on_every_build(tmp_path):
    # The kernel sends printed text in chunks split wherever timing falls; the
    # executed notebook must not depend on that.
    import nbformat
    from page_cache import _execute_notebook

    notebook = nbformat.v4.new_notebook()
    code = "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.3)"
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    nbformat.write(notebook, tmp_path / "bursts.ipynb")
    _execute_notebook(tmp_path / "bursts.ipynb", tmp_path / "executed.ipynb")
    outputs = nbformat.read(tmp_path / "executed.ipynb", as_version=4).cells[0].outputs
    assert [(o.output_type, o.text) for o in outputs] == [("stream", "0\n1\n2\n")]


def test_nothing_changed_means_every_executed_page_comes_from_the_cache(project_copy, tmp_path):
    mkdocs_build(project_copy, tmp_path / "a")
    again = mkdocs_build(project_copy, tmp_path / "b")
    assert again.returncode == 0
    pages = executed_pages(again.stderr)
    assert len(pages) >= 5 and {status for status, _ in pages.values()} == {"hit"}, pages


def _status(result, page: str) -> str:
    return executed_pages(result.stderr)[page][0]


def test_a_prose_edit_reuses_code_outputs_and_a_code_edit_runs_the_page(project_copy, tmp_path):
    page = project_copy / "docs" / "gradients.md"
    assert mkdocs_build(project_copy, tmp_path / "first").returncode == 0
    page.write_text(page.read_text().replace("Every code block on this page ran", "Every block here ran"))
    prose = mkdocs_build(project_copy, tmp_path / "prose")
    assert _status(prose, "gradients.md") == "prose"
    shutil.rmtree(project_copy / ".cache")
    assert mkdocs_build(project_copy, tmp_path / "cold").returncode == 0
    assert _differences(filecmp.dircmp(tmp_path / "prose", tmp_path / "cold")) == []

    page.write_text(page.read_text().replace("lr=0.25, steps=5)", "lr=0.25, steps=6)"))
    code = mkdocs_build(project_copy, tmp_path / "code")
    assert _status(code, "gradients.md") == "miss"
    assert "step 6: x =" in page_text(tmp_path / "code", "gradients")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_a_package_change_reaches_both_page_types_inside_mkdocs_serve(project_copy, tmp_path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project_copy,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(project_copy / "src"), "NO_MKDOCS_2_WARNING": "1"},
    )
    base = f"http://127.0.0.1:{port}{served_path(project_copy).rstrip('/')}"
    try:
        old = values_from(project_copy / "src")
        _wait_for(lambda: old[0] in html_to_text(_get(f"{base}/backpropagation/")), 120, "the first build")
        change_constant(project_copy)
        new = values_from(project_copy / "src")
        assert new != old
        _wait_for(lambda: new[0] in html_to_text(_get(f"{base}/backpropagation/")), 120, "the Markdown page")
        _wait_for(
            lambda: new[1] in " ".join(html_to_text(_get(f"{base}/end-to-end/")).split()),
            120,
            "the notebook page to update",
        )
        # Pages are watched too (serve_reload.py swaps MkDocs' file watcher for a faster one).
        page = project_copy / "docs" / "summary.md"
        page.write_text(page.read_text() + "\nA sentence added while serving.\n")
        _wait_for(lambda: "added while serving" in _get(f"{base}/summary/"), 60, "the prose edit")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_two_clean_builds_and_a_warm_one_are_byte_identical(site, project_copy, tmp_path):
    # `site` is the real project built at its own path; the copy lives elsewhere
    # and starts without a cache.
    cache = project_copy / ".cache"
    if cache.exists():
        shutil.rmtree(cache)
    cold = mkdocs_build(project_copy, tmp_path / "cold")
    assert cold.returncode == 0
    # The pages were shared between this process and its forked worker.
    assert {where for _, where in executed_pages(cold.stderr).values()} >= {"here", "worker", "kernel"}
    assert mkdocs_build(project_copy, tmp_path / "warm").returncode == 0
    for other in (site, tmp_path / "warm"):
        comparison = filecmp.dircmp(tmp_path / "cold", other)
        assert _differences(comparison) == [], f"{other} differs from a clean build"


@pytest.mark.parametrize(
    ("prelude", "says"),
    [(ONE_PROCESS, None), (FORK_REFUSED, "fork refused by the test")],
    ids=["a second thread", "fork refused"],
)
def test_a_build_that_does_not_fork_makes_the_same_site(site, project_copy, tmp_path, prelude, says):
    # Every Markdown page runs in the mkdocs process, the notebook on a thread.
    shutil.rmtree(project_copy / ".cache", ignore_errors=True)
    result = mkdocs_build(project_copy, tmp_path / "out", prelude=prelude)
    assert result.returncode == 0, result.stderr[-3000:]
    if says is not None:
        assert says in result.stderr
    assert {where for _, where in executed_pages(result.stderr).values()} == {"here", "kernel"}
    assert _differences(filecmp.dircmp(tmp_path / "out", site)) == []


def _differences(comparison: filecmp.dircmp) -> list[str]:
    found = comparison.left_only + comparison.right_only
    common = comparison.common_files
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, common, shallow=False)
    found += mismatch + errors
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_built_pages_hold_no_path_of_the_build_machine_or_memory_address(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert str(ROOT) not in text and "/tmp/" not in text, page
        assert not re.search(r" at 0x[0-9a-f]{6,}", text), page


# ---------------------------------------------------------------- failures


def test_markdown_block_that_raises_fails_the_build_naming_the_page(project_copy, tmp_path):
    page = project_copy / "docs" / "gradients.md"
    text = page.read_text()
    page.write_text(text + '\n```python exec="on" session="gradients"\nx = 1\nx / 0\n```\n', encoding="utf-8")
    block_line = text.count("\n") + 3  # after a blank line and the opening fence
    for flags in [(), ("-q",)]:  # -q hides warnings; a failing block must still fail
        result = mkdocs_build(project_copy, tmp_path / "out", *flags)
        output = result.stdout + result.stderr
        assert result.returncode != 0, flags
        assert f"gradients.md:{block_line}: code block raised ZeroDivisionError: division by zero" in output
        assert "line 2: x / 0" in output
        assert "Traceback" not in output and str(project_copy) not in output, output


def test_a_block_that_raises_in_the_forked_worker_fails_the_build_too(project_copy, tmp_path):
    # With an empty cache the worker renders the last pages, this one among them.
    shutil.rmtree(project_copy / ".cache", ignore_errors=True)
    page = project_copy / "docs" / "api" / "training.md"
    text = page.read_text()
    page.write_text(text + '\n```python exec="on"\nraise KeyError("injected")\n```\n', encoding="utf-8")
    for _ in range(2):  # a failed page is not stored by the worker either
        result = mkdocs_build(project_copy, tmp_path / "out")
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert f"api/training.md:{text.count(chr(10)) + 3}: code block raised KeyError: 'injected'" in output
        assert "Traceback" not in output and str(project_copy) not in output, output


def test_notebook_cell_that_raises_fails_the_build_naming_the_page(project_copy, tmp_path):
    path = project_copy / "docs" / "end-to-end.ipynb"
    notebook = json.loads(path.read_text())
    cell = {"cell_type": "code", "id": "injected", "metadata": {}, "outputs": [], "execution_count": None}
    notebook["cells"].append(dict(cell, source=["y = 2\n", "raise ValueError('injected failure')"]))
    path.write_text(json.dumps(notebook), encoding="utf-8")
    for _ in range(2):  # the failure is not cached away: the second build fails too
        result = mkdocs_build(project_copy, tmp_path / "out")
        output = result.stdout + result.stderr
        assert result.returncode != 0
        cell_number = len(notebook["cells"])
        assert f"end-to-end.ipynb: cell {cell_number} raised ValueError: injected failure" in output
        assert "line 2: raise ValueError('injected failure')" in output
        assert "Traceback" not in output and str(project_copy) not in output, output


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("See [this page](no-such-page.md).", "'summary.md' contains a link 'no-such-page.md'"),
        ("![a figure](figures/missing.svg)", "'summary.md' contains a link 'figures/missing.svg'"),
        (
            "See [a section](gradients.md#no-such-section).",
            "'summary.md' contains a link 'gradients.md#no-such-section'",
        ),
    ],
    ids=["broken link", "missing image", "broken anchor"],
)
def test_broken_link_or_missing_image_fails_the_build(project_copy, tmp_path, markdown, message):
    page = project_copy / "docs" / "summary.md"
    page.write_text(page.read_text() + "\n" + markdown + "\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output, output
    assert str(project_copy) not in output, output
