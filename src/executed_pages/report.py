"""The table of executed pages: every one, its time, and how it was made; printed, and published.

Printed at the end of each build (``table``), and, when the site has one, the
page of the published site that says the same to readers (``report_page``).
"""

from __future__ import annotations

import posixpath
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


# The report page's front matter: Material's search leaves it out of the index.
REPORT_META = "---\nsearch:\n  exclude: true\n---\n"

_MADE = {
    "miss": "ran",
    "hit": "from the cache",
    "prose": "prose only: stored outputs",
}


def report_page(
    rows: list[Row],
    titles: dict[str, str],
    versions: str,
    commit: str | None,
    ran_for: dict[str, float],
    at: str = "report.md",
) -> str:
    """The execution report as a Markdown page: the build's table, for readers.

    It differs from build to build (times, and what came from the cache), so the
    plugin keeps it out of the search index (``REPORT_META``), and the rest of
    the site stays byte-identical between builds.

    Args:
        rows: The build's rows, in the order the pages were rendered.
        titles: Each page's title, by its path under ``docs/`` (the path stands in for a missing one).
        versions: The versions the pages ran with, in words.
        commit: A Markdown link to the commit the site was built from, or None.
        ran_for: Each page's time in the build that ran its code (this one's or an earlier one's).
        at: The report page's own path under ``docs/`` (its links are relative to it).
    """
    built = f"from commit {commit} " if commit else ""
    lines = [
        "# Execution report",
        "",
        "Every page of this site that runs code, as the last build made it. *Ran*: its code ran in",
        "this build. *From the cache*: nothing that decides its outputs (the page's code, the package",
        "modules it imports, the versions installed, the site's settings) had changed since the build",
        "that ran it, so that build's outputs were used. *Prose only*: only its prose had changed; its",
        "code's stored outputs were put back. Either way the outputs were computed with the versions",
        "below, which are part of what decides them. *Time*: how long the page took in the build that",
        "ran its code.",
        "",
        f"The site was built {built}with {versions}.",
        "",
        "| Page | Made | Time |",
        "| --- | --- | ---: |",
    ]
    for row in rows:
        title = titles.get(row.page, row.page).replace("|", "\\|")
        made = _MADE.get(row.status, row.status) + (" in a Jupyter kernel" if row.where == "kernel" else "")
        link = posixpath.relpath(row.page, posixpath.dirname(at) or ".")
        lines.append(f"| [{title}]({link}) | {made} | {ran_for.get(row.page, row.seconds):.1f} s |")
    return "\n".join(lines) + "\n"
