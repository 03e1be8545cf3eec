"""Each executed Markdown page starts from the same state, whatever ran before it in this process.

A cold build runs every page in one process, a warm build only some of them, and
``mkdocs serve`` keeps its process across rebuilds. Whatever one page's code
leaves behind would reach the next page that runs, and a page's output could
then depend on which pages ran before it, so differ between a warm and a cold
build. Before a page's code runs, ``fresh_state`` puts back what code commonly
changes, as a fresh process would have it:

- the working directory;
- the package's modules, dropped so that the page imports them afresh (and
  whatever they do at import happens for this page too);
- the random number generators of Python, NumPy and torch, seeded with 0 (a
  fresh process seeds them from the system, which no build could reproduce;
  the package itself takes randomness only from explicit seeds);
- NumPy's and torch's print options, matplotlib's settings (as its rc file
  gives them now) and its open figures.

A module that is not imported yet is left alone: importing it would cost time,
and it starts fresh anyway. (markdown-exec's session variables are cleared
separately, ``upstream.clear_sessions``.)
"""

from __future__ import annotations

import os
import random
import sys

# numpy.set_printoptions' documented defaults.
NUMPY_PRINT_OPTIONS = {
    "edgeitems": 3,
    "threshold": 1000,
    "floatmode": "maxprec",
    "precision": 8,
    "suppress": False,
    "linewidth": 75,
    "nanstr": "nan",
    "infstr": "inf",
    "sign": "-",
    "formatter": None,
    "legacy": False,
}


def forget_package(package: str) -> None:
    """Drop the package and its modules from ``sys.modules``: the next import runs them as they are now.

    Args:
        package: The package's import name.
    """
    # A copy of the names: the threads that run notebooks import modules meanwhile.
    for name in [m for m in list(sys.modules) if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def fresh_state(cwd: str, package: str) -> None:
    """Put back the state a page's code starts from (see the module's docstring).

    Args:
        cwd: The working directory the build started in.
        package: The import name of the package the pages use.
    """
    os.chdir(cwd)
    forget_package(package)
    random.seed(0)
    if "numpy" in sys.modules:
        numpy = sys.modules["numpy"]
        numpy.random.seed(0)
        numpy.set_printoptions(**NUMPY_PRINT_OPTIONS)
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.manual_seed(0)
        torch.set_printoptions(profile="default")
    if "matplotlib" in sys.modules:
        # Read again, as a fresh import would: a matplotlibrc may have appeared
        # or changed since (mkdocs serve lives on; keys.py keys on the file).
        matplotlib = sys.modules["matplotlib"]
        matplotlib.rc_file(matplotlib.matplotlib_fname())
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
