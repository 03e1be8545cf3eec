"""Executed pages to take away: each one's notebook in the built site, and what its buttons link to.

For every page that executes code (markdown-exec blocks, or a notebook), the
build writes ``<page>.ipynb`` beside the page's HTML (``fit/fit.ipynb``), made
by ``notebook_export`` from the page and the outputs the build computed (or the
stored ones, for a page taken from the cache). The theme override
(``overrides/main.html``) shows "Download notebook", "Open in Colab" and the
versions note from the context ``page_context`` gives.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from . import notebook_export
from .notebook_export import Origin


def notebook_path(src_uri: str, dest_uri: str) -> str:
    """Where a page's notebook goes in the site: beside its HTML, named after its source.

    ``fit.md`` (built as ``fit/index.html``) gives ``fit/fit.ipynb``; ``index.md`` gives ``index.ipynb``.
    """
    folder = posixpath.dirname(dest_uri)
    name = posixpath.splitext(posixpath.basename(src_uri))[0] + ".ipynb"
    return posixpath.join(folder, name) if folder else name


@dataclass(frozen=True)
class Downloads:
    """What every executed page of one build is offered with.

    Args:
        origin: Where install cells get the package from (without a page's address).
        site_url: The published site's address (MkDocs' ``site_url``), for links in notebooks.
        use_directory_urls: MkDocs' setting of that name.
        colab_branch: The branch of the GitHub repository holding the built site's
            notebooks (at the same paths); None: no Colab links.
        versions: The versions the pages ran with, in words.
        report: The execution report's address in the site (``execution-report/``), if it has one.
    """

    origin: Origin
    site_url: str | None
    use_directory_urls: bool
    colab_branch: str | None
    versions: str
    report: str | None

    def notebook(self, page, *, printed: list[str] | None = None, executed: str | None = None) -> str:
        """A page's notebook as file text.

        Args:
            page: The MkDocs page.
            printed: For a Markdown page, what each exec block printed.
            executed: For a notebook page, its executed copy (nbformat JSON).
        """
        origin = replace(self.origin, page_url=page.canonical_url if self.site_url else None)
        if executed is not None:
            notebook = notebook_export.executed_notebook(nbformat.reads(executed, as_version=4), origin)
        else:
            notebook = notebook_export.markdown_notebook(
                page.file.content_string,
                printed or [],
                origin,
                page_uri=page.file.src_uri,
                site_url=self.site_url,
                use_directory_urls=self.use_directory_urls,
            )
        return notebook_export.dumps(notebook)

    def page_context(self, page) -> dict:
        """What the theme override needs to show a page's buttons and versions note."""
        path = notebook_path(page.file.src_uri, page.file.dest_uri)
        colab = None
        if self.colab_branch:
            colab = notebook_export.colab_url(self.origin.repo_url, self.colab_branch, path)
        return {"notebook": path, "colab": colab, "versions": self.versions, "report": self.report}

    def write(self, site_dir: Path, page, text: str) -> Path:
        """Write a page's notebook into the built site; return its path."""
        target = Path(site_dir) / notebook_path(page.file.src_uri, page.file.dest_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target
