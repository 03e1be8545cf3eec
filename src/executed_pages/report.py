"""The table printed at the end of each build: every executed page, its time, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One executed page.

    Args:
        page: The page's path under ``docs/``.
        seconds: How long it took (for a notebook, including its kernel's run).
        status: ``hit`` (from the cache), ``prose`` (stored outputs, prose rendered again) or ``miss`` (ran).
        where: ``kernel`` for a notebook that ran in its Jupyter kernel, else empty.
    """

    page: str
    seconds: float
    status: str
    where: str = ""


def table(rows: list[Row]) -> str:
    """The rows as a table, in the order the pages were rendered; empty without rows."""
    if not rows:
        return ""
    width = max(len(row.page) for row in rows)
    lines = [f"{'executed page':<{width}}  {'time':>7}  cache  ran in"]
    lines += [f"{r.page:<{width}}  {r.seconds:6.2f}s  {r.status:<5}  {r.where}".rstrip() for r in rows]
    return "Executed pages:\n  " + "\n  ".join(lines)
