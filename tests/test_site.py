"""The site build: pages show what the package computes, and code that fails fails the build."""

from __future__ import annotations

import json
import re

import pytest

from helpers import ROOT, page_text
from sgd_tutorial import apply_step, init_params, make_speed_data, train

NOTEBOOK = ROOT / "docs" / "end-to-end.ipynb"

pytestmark = pytest.mark.site


def figures(raw_html: str) -> list[tuple[str, str]]:
    """(src, alt) of every figure on a page."""
    return re.findall(r'<img class="figure" src="([^"]+)" alt="([^"]*)"', raw_html)


def notebook_setting(pattern: str) -> str:
    source = "".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"])
    match = re.search(pattern, source)
    assert match, f"{pattern!r} not found in {NOTEBOOK.name}"
    return match.group(1)


def test_end_to_end_page_shows_the_ten_losses_the_package_computes(site):
    data_seed = int(notebook_setting(r"make_speed_data\([^)]*seed=(\d+)"))
    params_seed = int(notebook_setting(r"init_params\([^)]*seed=(\d+)"))
    lr = float(notebook_setting(r"\blr = ([0-9.e-]+)"))

    # The page takes one step by hand (step 5), then repeats ten.
    time, speed = make_speed_data(seed=data_seed)
    params = init_params(seed=params_seed)
    apply_step(params, time, speed, lr)
    expected = [f"{loss:.4f}" for loss in train(params, time, speed, lr, 10).losses]

    step_line = r"step (\d+): params tensor\(\[[^\]]*\]\)\s+loss: ([0-9.]+)"
    shown = re.findall(step_line, page_text(site, "end-to-end"))
    assert [int(step) for step, _ in shown] == list(range(10))
    assert [loss for _, loss in shown] == expected


def test_end_to_end_page_has_every_step_and_figure(site):
    text = page_text(site, "end-to-end")
    for heading in ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6", "Step 7"]:
        assert heading in text
    assert "grad_fn=<MeanBackward0>" in text
    assert "requires_grad=True" in text
    raw = (site / "end-to-end" / "index.html").read_text(encoding="utf-8")
    # data, the loop, initial guess, after one step, the row of panels, the final fit
    assert len(figures(raw)) == 6
    assert (site / "end-to-end" / "end-to-end.ipynb").is_file()


def test_backpropagation_page_shows_real_autograd_output(site):
    text = page_text(site, "backpropagation")
    assert "tensor(2.5000, requires_grad=True)" in text
    assert "tensor(6.2500, grad_fn=<PowBackward0>)" in text
    assert "tensor(5.)" in text
    assert "tensor(30., grad_fn=<SumBackward0>)" in text
    assert "tensor([-2.,  4., 10.])" in text
    assert "grad can be implicitly created only for scalar outputs" in text
    assert "AccumulateGrad" in text
    assert "largest relative difference:" in text


def test_gradients_page_walks_downhill(site):
    text = page_text(site, "gradients")
    assert "step 0: x = -1.50000" in text
    assert "step 1: x = -0.75000" in text
    raw = (site / "gradients" / "index.html").read_text(encoding="utf-8")
    assert len(figures(raw)) == 3


def test_reference_pages_document_every_public_name(site):
    import sgd_tutorial
    from executed_pages.deps import Package

    # Each documented object has a heading whose id is its full path
    # (sgd_tutorial.training.train); a name merely mentioned, or one that is
    # part of another (train in train_sgd), does not count.
    defined_in = Package.find("sgd_tutorial").exports
    pages = ["data-model-loss-checks", "training", "figures"]
    ids = set()
    for name in pages:
        html = (site / "api" / name / "index.html").read_text(encoding="utf-8")
        ids |= set(re.findall(r'id="([^"]+)"', html))
    missing = [name for name in sgd_tutorial.__all__ if f"sgd_tutorial.{defined_in[name]}.{name}" not in ids]
    assert missing == []


def test_notebooks_are_stored_without_outputs():
    for path in (ROOT / "docs").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


# ---------------------------------------------------------------- size and publishing

MAX_PAGE = 100_000  # bytes of HTML per page
MAX_FIGURE = 60_000  # bytes per figure file


def test_every_page_is_light_and_its_styles_are_shared(site):
    for page in site.rglob("*.html"):
        raw = page.read_bytes()
        assert len(raw) <= MAX_PAGE, f"{page.relative_to(site)}: {len(raw)} bytes"
        assert b"<style" not in raw, f"{page.relative_to(site)} has inline CSS; shared files are cached"


def test_every_figure_is_a_small_file_with_alt_text(site):
    figures_dir = site / "assets" / "figures"
    files = list(figures_dir.iterdir())
    assert len(files) >= 9  # 1 home, 3 gradients, 5 end-to-end (the loop diagram is the home figure, reused)
    for figure in files:
        assert figure.stat().st_size <= MAX_FIGURE, f"{figure.name}: {figure.stat().st_size} bytes"
    for page in site.rglob("index.html"):
        for src, alt in figures(page.read_text(encoding="utf-8")):
            assert len(alt.split()) >= 5, f"{page}: {src} needs alt text that says what it shows"


def test_learning_rate_page_shows_steps_to_the_optimum_and_the_caught_divergence(site):
    from sgd_tutorial import DivergenceError, least_squares, mse, quadratic, rescale

    time, speed = make_speed_data(seed=42)
    scaled = rescale(time)
    best = mse(quadratic(scaled, least_squares(scaled, speed)), speed).item()
    text = page_text(site, "learning-rate")
    losses = train(init_params(seed=10), scaled, speed, 0.8, 200).losses
    steps = next(i for i, loss in enumerate(losses) if loss <= 1.01 * best)
    assert f"lr 0.8: within 1% of the best loss after {steps} steps" in text
    with pytest.raises(DivergenceError):
        train(init_params(seed=10), scaled, speed, 1.0, 200)
    assert "lr 1.0: diverged (train raised DivergenceError)" in text


def test_fit_page_compares_descent_with_the_least_squares_optimum(site):
    from sgd_tutorial import least_squares, mse, quadratic

    time, speed = make_speed_data(seed=42)
    best = mse(quadratic(time, least_squares(time, speed)), speed).item()
    text = page_text(site, "fit")
    assert f"lowest loss:  {best:.2f}" in text
    for steps in (10, 100, 1000):
        assert re.search(rf"\s{steps} steps: loss\s+[0-9.]+,\s+[0-9]+ times the lowest", text)
