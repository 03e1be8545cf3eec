import matplotlib.pyplot as plt
import pytest
import torch

from sgd_tutorial import (
    init_params,
    make_speed_data,
    plot_function,
    plot_loop,
    show_preds,
    show_steps,
    to_svg,
    train,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_function_draws_f_over_the_range():
    ax = plot_function(torch.square, -1.5, 2.0, xlabel="x", ylabel="x squared", title="bowl")
    (line,) = ax.get_lines()
    x, y = line.get_data()
    assert x[0] == pytest.approx(-1.5) and x[-1] == pytest.approx(2.0)
    torch.testing.assert_close(torch.as_tensor(y), torch.square(torch.as_tensor(x)))
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "x squared", "bowl")


def test_plot_function_leaves_labels_it_was_not_given_empty():
    ax = plot_function(torch.sin)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("", "", "")


def test_plot_function_takes_labels_by_keyword_only():
    with pytest.raises(TypeError):
        plot_function(torch.sin, -1.0, 1.0, "x")


def test_plot_function_accepts_a_function_that_tracks_gradients():
    w = torch.tensor(3.0, requires_grad=True)
    (line,) = plot_function(lambda x: w * x).get_lines()
    assert line.get_ydata()[-1] == pytest.approx(6.0)


def test_helpers_draw_on_the_given_axes():
    _, ax = plt.subplots()
    time, speed = make_speed_data()
    assert show_preds(time, speed, ax=ax) is ax
    assert plot_function(torch.sin, ax=ax) is ax
    assert plot_loop(ax=ax) is ax


def test_show_preds_plots_data_and_detached_predictions():
    time, speed = make_speed_data()
    preds = (time * 2).requires_grad_()
    ax = show_preds(time, speed, preds)
    data, predicted = ax.collections
    assert data.get_offsets()[:, 1].tolist() == pytest.approx(speed.tolist())
    assert predicted.get_offsets()[:, 1].tolist() == pytest.approx((time * 2).tolist())


def test_show_steps_one_panel_per_snapshot():
    time, speed = make_speed_data()
    history = train(init_params(seed=10), time, speed, 1e-5, 4)
    fig = show_steps(time, speed, history.params[:4], history.losses)
    assert len(fig.axes) == 4
    assert fig.axes[2].get_title() == f"step 2: loss {history.losses[2]:.0f}"


def test_show_steps_rejects_axes_count_mismatch():
    time, speed = make_speed_data()
    _, axs = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="2 axes for 3"):
        show_steps(time, speed, [torch.zeros(3)] * 3, axs=axs)


def test_plot_loop_names_every_stage():
    texts = {t.get_text() for t in plot_loop().texts}
    assert {"initialise", "predict", "loss", "gradient", "step", "stop", "repeat"} <= texts


def test_to_svg_is_byte_identical_across_renders_and_closes():
    def render():
        return to_svg(plot_function(lambda x: x**2).figure, alt="a parabola")

    first = render()
    assert first.startswith("<svg") and "<dc:date>" not in first
    assert render() == first
    assert plt.get_fignums() == []


def test_to_svg_labels_the_image_and_escapes_the_label():
    svg = to_svg(plot_function(lambda x: x**2).figure, alt='the "bowl" x**2 < 4')
    assert svg.startswith('<svg role="img" aria-label="the &quot;bowl&quot; x**2 &lt; 4" ')


def test_to_svg_requires_alt_text():
    with pytest.raises(ValueError, match="alt"):
        to_svg(plot_function(lambda x: x**2).figure, alt=" ")
