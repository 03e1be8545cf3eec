import matplotlib.pyplot as plt
import torch

from sgd_tutorial import loss_landscape, make_speed_data, mse, plot_landscape, quadratic


def test_each_grid_point_is_the_mse_of_that_quadratic():
    time, speed = make_speed_data(seed=0)
    a, b = torch.linspace(-1, 2, 4), torch.linspace(-20, 5, 3)
    grid = loss_landscape(time, speed, a, b, c=70.0)
    assert grid.shape == (3, 4)
    for i, bi in enumerate(b):
        for j, aj in enumerate(a):
            expected = mse(quadratic(time, torch.stack([aj, bi, torch.tensor(70.0)])), speed)
            torch.testing.assert_close(grid[i, j], expected)


def test_without_c_each_point_takes_the_best_c():
    time, speed = make_speed_data(seed=0)
    a, b = torch.linspace(-1, 2, 4), torch.linspace(-20, 5, 3)
    grid = loss_landscape(time, speed, a, b)
    for i, bi in enumerate(b):
        for j, aj in enumerate(a):
            best_c = (speed - aj * time**2 - bi * time).mean()
            torch.testing.assert_close(
                grid[i, j], loss_landscape(time, speed, aj[None], bi[None], best_c.item())[0, 0]
            )
            for other in (best_c - 1, best_c + 1):  # any other c does worse
                assert loss_landscape(time, speed, aj[None], bi[None], other.item())[0, 0] > grid[i, j]


def test_plot_landscape_draws_contours_and_the_path():
    time, speed = make_speed_data(seed=0)
    a, b = torch.linspace(-1, 2, 30), torch.linspace(-20, 5, 30)
    path = torch.tensor([[0.0, 0.0, 0.0], [0.5, -5.0, 1.0]])
    ax = plot_landscape(a, b, loss_landscape(time, speed, a, b, 70.0), path=path)
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b"
    assert ax.lines[0].get_xydata().tolist() == [[0.0, 0.0], [0.5, -5.0]]
    plt.close("all")
