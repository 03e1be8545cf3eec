"""An executed page as a Jupyter notebook a reader can download, or open in Colab.

Two kinds of pages execute code, and both leave the site as a notebook:

- a Markdown page (``markdown_notebook``): its prose becomes Markdown cells and
  each markdown-exec block a code cell, holding what that block printed when the
  site was built;
- a notebook page (``executed_notebook``): the executed copy the build rendered.

Both start with a cell that installs what the page needs (``install_source``),
so the notebook runs outside a clone of the repository: the package from the
repository, pinned to the commit the site was built from.

How a Markdown page's parts become cells:

- A block that shows its source (``source="..."``) becomes a code cell, without
  its lines marked ``# markdown-exec: hide``: a reader gets the code the page
  shows. Its output is what the block printed: text as a stream output, an
  ``html`` block's SVG figures as ``image/svg+xml`` display data.
- A block that shows no source is kept as a code cell with all its code (the
  ``hide`` markers mean nothing there): such a block may set up what later
  blocks use, and the checks of the prose (``claim(...)``) then hold on the
  reader's run too. The one exception is a block that shows code as its result
  (``result="python"``: the package source pages show for reading): its output
  becomes a Python block in a Markdown cell, since running it would only
  redefine what the package already provides.
- Admonitions, collapsible blocks and tabs that hold only prose become a quote
  with their title in bold; those that hold code (exercises with their
  solution, the package code) become a heading one level below the section's,
  then their content, code as cells.
- Raw HTML blocks (the interactive explorer) cannot work in a notebook: they
  become a line that links to the page on the site. Links to other pages and
  files become links to the published site when ``site_url`` is given.

Everything here is a pure function of its arguments: the same page, outputs and
origin give the same bytes (``dumps``), and cell ids come from each cell's
position and content, not from chance.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import html
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import nbformat
from nbformat import NotebookNode

# Cells that notebook tools recognise the install cell by (and tests replace).
INSTALL_TAG = "install"
HIDE_MARKER = "# markdown-exec: hide"

_KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


# ---------------------------------------------------------------- where the code comes from


@dataclass(frozen=True)
class Origin:
    """Where a downloaded notebook gets the package from, and the page it was made from.

    Args:
        package: The distribution's name (``pyproject.toml``'s ``project.name``).
        repo_url: The repository's address (MkDocs' ``repo_url``); None when the site names none.
        commit: The commit the site was built from; None outside a git checkout.
        torch_version: The torch version the pages ran with, installed from PyTorch's
            CPU index where torch is missing (a local version such as ``+cpu`` is dropped);
            None for a site whose pages do not use torch.
        page_url: The page's address on the published site, if known.
    """

    package: str
    repo_url: str | None
    commit: str | None
    torch_version: str | None
    page_url: str | None = None


def install_source(origin: Origin) -> str:
    """The code of a notebook's first cell: installs what the page needs, where it is missing.

    torch is installed only when missing, from PyTorch's CPU-only index: Colab has
    torch already (and a GPU build), while on Linux PyPI's default build brings
    several GB of CUDA libraries the tutorial does not use. The package comes from
    the repository at ``origin.commit``; matplotlib comes with it as a dependency.
    """
    torch = origin.torch_version.split("+")[0] if origin.torch_version is not None else None
    if torch is not None and not re.fullmatch(r"\d+(\.\d+)*", torch):
        raise ValueError(f"not a torch release version: {origin.torch_version!r}")
    lines = ["# Installs what this notebook needs, so that it runs outside the project (in Colab, or"]
    lines.append("# in a fresh environment). Run it once, first.")
    if origin.page_url:
        lines.append(f"# Made from {origin.page_url}")
    requirement = None
    if origin.repo_url:
        repo = origin.repo_url.rstrip("/")
        if origin.commit:
            if not re.fullmatch(r"[0-9a-f]{7,40}", origin.commit):
                raise ValueError(f"not a git commit: {origin.commit!r}")
            lines.append(f"# The package comes at the commit the page was built from ({origin.commit[:12]}).")
            requirement = f"{origin.package} @ git+{repo}@{origin.commit}"
        else:
            lines.append("# The page was built outside a git checkout, so its commit is unknown: this")
            lines.append("# installs the default branch's newest commit, which may differ from the page.")
            requirement = f"{origin.package} @ git+{repo}"
    else:
        lines.append(f"# The site names no repository: install {origin.package} from its source yourself.")
    lines += [
        "import importlib",
        "import importlib.util",
        "import subprocess",
        "import sys",
        "",
        "",
        "def pip_install(*args):",
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], check=True)',
        "",
        "",
    ]
    if torch is not None:
        lines += [
            'if importlib.util.find_spec("torch") is None:',
            "    # The CPU build, the version the page ran with: PyPI's default brings GBs of CUDA.",
            f'    pip_install("torch=={torch}", "--index-url", "https://download.pytorch.org/whl/cpu")',
        ]
    if requirement:
        lines.append(f'pip_install("{requirement}")')
    lines.append("importlib.invalidate_caches()  # so that this kernel finds what was just installed")
    return "\n".join(lines)


def colab_url(repo_url: str | None, branch: str, path: str) -> str | None:
    """The address that opens a notebook stored in a GitHub repository in Colab.

    Colab opens notebooks from GitHub only (not from any address), so ``path``
    must be a notebook committed on ``branch`` (for generated notebooks: the
    branch the published site is pushed to).

    Args:
        repo_url: The repository's address; only ``https://github.com/OWNER/NAME`` has a Colab link.
        branch: The branch that holds the notebook.
        path: The notebook's path in that branch.

    Returns:
        The Colab address, or None when the repository is not on GitHub.
    """
    if not repo_url:
        return None
    parts = urlsplit(repo_url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.netloc.lower() not in {"github.com", "www.github.com"} or len(segments) != 2:
        return None
    owner, name = segments[0], segments[1].removesuffix(".git")
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{branch}/{path.lstrip('/')}"


# ---------------------------------------------------------------- a Markdown page, parsed


@dataclass
class _Text:
    lines: list[str]


@dataclass
class _Html:
    lines: list[str]
    comment: bool


@dataclass
class _Block:
    """A markdown-exec block: its options and its code (dedented)."""

    options: dict[str, str]
    code: str
    index: int  # position among the page's exec blocks


@dataclass
class _Box:
    """An admonition (``!!!``), collapsible block (``???``) or tab (``===``)."""

    title: str
    children: list


_FENCE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_BOX = re.compile(r'^(?P<marker>!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
_TAB = re.compile(r'^===\+?\s+"(?P<title>[^"]*)"\s*$')
_HTML_BLOCK = re.compile(
    r"^<(?:div|script|form|figure|iframe|canvas|table|section|style|details|video|audio|svg)\b|^<!--", re.I
)
_OPTION = re.compile(r'([\w-]+)="([^"]*)"')


def _is_exec(info: str) -> bool:
    options = dict(_OPTION.findall(info))
    return info.strip().split(" ")[0].lower() in {"python", "py"} and options.get("exec", "").lower() in {
        "on",
        "1",
        "true",
        "yes",
    }


def _dedent(lines: list[str], width: int) -> list[str]:
    return [line[width:] if line[:width].strip() == "" else line.lstrip() for line in lines]


class _Parser:
    def __init__(self) -> None:
        self.blocks = 0

    def parse(self, lines: list[str]) -> list:
        nodes: list = []
        text: list[str] = []

        def flush() -> None:
            if text:
                nodes.append(_Text(text.copy()))
                text.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            fence = _FENCE_OPEN.match(line)
            if fence:
                indent, mark = fence["indent"], fence["fence"]
                close = re.compile(rf"^{indent}{re.escape(mark[0])}{{{len(mark)},}}\s*$")
                end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)
                if end is None:
                    raise ValueError(f"line {i + 1}: a code fence that is never closed: {line.strip()!r}")
                if _is_exec(fence["info"]):
                    flush()
                    code = "\n".join(_dedent(lines[i + 1 : end], len(indent)))
                    nodes.append(_Block(dict(_OPTION.findall(fence["info"])), code, self.blocks))
                    self.blocks += 1
                else:
                    text.extend(lines[i : end + 1])
                i = end + 1
                continue
            box, tab = _BOX.match(line), _TAB.match(line)
            if box or tab:
                flush()
                j = i + 1
                while j < len(lines) and (not lines[j].strip() or lines[j].startswith("    ")):
                    j += 1
                while j > i + 1 and not lines[j - 1].strip():  # trailing blank lines are not the box's
                    j -= 1
                title = tab["title"] if tab else box["title"]
                if title is None:  # Material's default: the type, capitalised
                    title = box["kind"].capitalize()
                nodes.append(_Box(title, self.parse(_dedent(lines[i + 1 : j], 4))))
                i = j
                continue
            if _HTML_BLOCK.match(line):
                flush()
                j = i + 1
                if line.startswith("<!--"):  # a comment ends at its "-->"
                    j = next((k + 1 for k in range(i, len(lines)) if "-->" in lines[k]), len(lines))
                else:  # any other HTML block ends at a blank line, as in CommonMark
                    while j < len(lines) and lines[j].strip():
                        j += 1
                nodes.append(_Html(lines[i:j], comment=line.startswith("<!--")))
                i = j
                continue
            text.append(line)
            i += 1
        flush()
        return nodes


# ---------------------------------------------------------------- cells


_LINK = re.compile(r"(!?\[[^\]]*\]\()(?P<target>[^)\s]+)(?P<rest>(?:\s+\"[^\"]*\")?\))")
_HEADING = re.compile(r"^(#{1,6})\s")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_ARIA_LABEL = re.compile(r'^<svg\b[^>]*?\baria-label="([^"]*)"')


class _Cells:
    """Turns a parsed page into cells, with the outputs the build computed."""

    def __init__(self, outputs: Sequence[str], link) -> None:
        self.outputs = outputs
        self.link = link
        self.cells: list[NotebookNode] = []
        self.markdown: list[str] = []

    def add_markdown(self, text: str) -> None:
        if text.strip():
            self.markdown.append(text.strip("\n"))

    def flush(self) -> None:
        if self.markdown:
            self.cells.append(nbformat.v4.new_markdown_cell("\n\n".join(self.markdown)))
            self.markdown = []

    def add(self, nodes: list, level: int) -> int:
        """Add ``nodes``' cells; returns the heading level their text ends in."""
        for node in nodes:
            if isinstance(node, _Text):
                text, level = self._prose(node.lines, level)
                self.add_markdown(text)
            elif isinstance(node, _Html):
                if not node.comment:
                    self.add_markdown(self.link.interactive)
            elif isinstance(node, _Block):
                self._block(node)
            elif _has_code(node):
                self.add_markdown(f"{'#' * min(level + 1, 6)} {node.title}")
                self.add(node.children, min(level + 1, 6))
            else:
                inner = _Cells(self.outputs, self.link)
                inner.add(node.children, level)
                body = "\n\n".join(inner.markdown)
                text = f"**{node.title}**\n\n{body}" if node.title else body
                quoted = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
                self.add_markdown(quoted)
        return level

    def _prose(self, lines: list[str], level: int) -> tuple[str, int]:
        """Prose with its links resolved, and the heading level it ends in; code in it is left as is."""
        out, fence = [], None
        for line in lines:
            opening = _FENCE_OPEN.match(line)
            if fence is None and opening:
                fence = opening["fence"]
            elif fence is not None:
                stripped = line.strip()
                if stripped.startswith(fence) and not stripped.strip(fence[0]):
                    fence = None
            else:
                heading = _HEADING.match(line)
                level = len(heading[1]) if heading else level
                line = self._links(line)
            out.append(line)
        return "\n".join(out), level

    def _links(self, text: str) -> str:
        return _LINK.sub(lambda m: m[1] + self.link(m["target"]) + m["rest"], text)

    def _block(self, block: _Block) -> None:
        printed = self.outputs[block.index]
        options = block.options
        shown = bool(options.get("source"))
        result = options.get("result", "")
        if _for_reading(block):
            # Code shown for reading (the package's source): a Markdown block, not a cell to run.
            if printed.strip():
                self.add_markdown(f"```{result}\n{printed.rstrip()}\n```")
            return
        lines = block.code.splitlines()
        if shown:
            lines = [line for line in lines if HIDE_MARKER not in line]
        else:
            lines = [line.replace(HIDE_MARKER, "").rstrip() for line in lines]
        self.flush()
        code = "\n".join(lines).strip("\n")
        outputs = _outputs(printed, html_output=_truthy(options.get("html")))
        if any(output.output_type == "display_data" for output in outputs):
            code = _quiet(code)
        cell = nbformat.v4.new_code_cell(code)
        cell.outputs = outputs
        self.cells.append(cell)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in {"1", "on", "true", "yes"}


def _for_reading(block: _Block) -> bool:
    """Whether a block shows only code it prints (``result="python"``, no ``source``)."""
    options = block.options
    return (
        not options.get("source")
        and options.get("result", "") not in {"", "text"}
        and not _truthy(options.get("html"))
    )


def _has_code(node) -> bool:
    if isinstance(node, _Block):
        return not _for_reading(node)
    return isinstance(node, _Box) and any(_has_code(child) for child in node.children)


def _quiet(code: str) -> str:
    """A figure's code, with its last expression's value not echoed (``;``, Jupyter's idiom).

    On the page the figure was printed by lines hidden from the reader; in a
    notebook it is shown by matplotlib, and the value of a last line such as
    ``ax.plot(...)`` would be echoed beside it as ``[<Line2D ...>]``.
    """
    try:
        last = ast.parse(code).body[-1]
    except (SyntaxError, IndexError):
        return code
    if not isinstance(last, ast.Expr):
        return code
    lines = code.split("\n")
    row, col = last.end_lineno - 1, last.end_col_offset
    line = lines[row].encode()  # ast's offsets count UTF-8 bytes
    lines[row] = (line[:col] + b";" + line[col:]).decode()
    return "\n".join(lines)


def _outputs(printed: str, *, html_output: bool) -> list[NotebookNode]:
    """The outputs of a code cell, from what its block printed."""
    if html_output:
        figures = _SVG.findall(printed)
        if figures:
            outputs = []
            for svg in figures:
                label = _ARIA_LABEL.match(svg)
                data = {"image/svg+xml": svg, "text/plain": html.unescape(label[1]) if label else "<Figure>"}
                outputs.append(nbformat.v4.new_output("display_data", data=data))
            return outputs
    if not printed:
        return []
    return [nbformat.v4.new_output("stream", name="stdout", text=printed)]


class _SiteLinks:
    """Resolves a page's relative links to the published site (or leaves them as they are)."""

    def __init__(self, page_uri: str, site_url: str | None, use_directory_urls: bool) -> None:
        self.page_uri = page_uri
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.use_directory_urls = use_directory_urls
        page = self("") if self.site_url else None
        where = f"[the page on the site]({page})" if page else "the page on the site"
        self.interactive = f"*An interactive part of this page cannot run in a notebook: see {where}.*"

    def _page_url(self, uri: str) -> str:
        stem, ext = posixpath.splitext(uri)
        if ext not in {".md", ".ipynb"}:
            return uri
        if not self.use_directory_urls:
            return stem + ".html"
        if posixpath.basename(stem) == "index":
            return posixpath.dirname(stem) + "/" if posixpath.dirname(stem) else ""
        return stem + "/"

    def __call__(self, target: str) -> str:
        if self.site_url is None or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            return target
        path, _, anchor = target.partition("#")
        uri = self.page_uri
        if path:
            uri = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_uri), path))
            if uri.startswith(".."):
                return target
        return self.site_url + self._page_url(uri) + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------- notebooks


def _install_cell(origin: Origin) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(install_source(origin))
    cell.metadata["tags"] = [INSTALL_TAG]
    return cell


def _finish(cells: list[NotebookNode], metadata: dict | None = None) -> NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = nbformat.from_dict(
        metadata if metadata is not None else {"kernelspec": _KERNELSPEC, "language_info": {"name": "python"}}
    )
    for index, cell in enumerate(cells):
        # Stable ids: from the cell's position and content, never random.
        digest = hashlib.sha256(f"{index}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()
        cell["id"] = digest[:16]
    notebook.cells = cells
    nbformat.validate(notebook)
    return notebook


def markdown_notebook(
    markdown: str,
    outputs: Sequence[str],
    origin: Origin,
    *,
    page_uri: str = "",
    site_url: str | None = None,
    use_directory_urls: bool = True,
) -> NotebookNode:
    """A Markdown page with markdown-exec blocks, as a notebook with the outputs the build computed.

    Args:
        markdown: The page's Markdown source.
        outputs: What each exec block printed, in the page's order (an ``html`` block's
            HTML included), one string per block, empty for a block that printed nothing.
        origin: Where the install cell gets the package from.
        page_uri: The page's path in the docs folder (``fit.md``), to resolve its relative links.
        site_url: The published site's address; relative links then point there.
        use_directory_urls: MkDocs' setting of that name (``fit.md`` is at ``fit/``).

    Returns:
        A valid nbformat v4 notebook: an install cell, then the page.

    Raises:
        ValueError: The number of outputs is not the number of exec blocks, or a fence is not closed.
    """
    parser = _Parser()
    nodes = parser.parse(markdown.splitlines())
    if parser.blocks != len(outputs):
        raise ValueError(f"the page has {parser.blocks} exec blocks but {len(outputs)} outputs were given")
    cells = _Cells(outputs, _SiteLinks(page_uri, site_url, use_directory_urls))
    cells.add(nodes, level=1)
    cells.flush()
    return _finish([_install_cell(origin), *cells.cells])


def executed_notebook(notebook: NotebookNode, origin: Origin) -> NotebookNode:
    """An executed notebook page as readers download it: its cells and outputs after an install cell.

    What varies from run to run is dropped (the times nbclient records in each
    cell's metadata), so the file is the same for the same outputs.

    Args:
        notebook: The executed notebook (nbformat v4), which is not changed.
        origin: Where the install cell gets the package from.

    Returns:
        A valid nbformat v4 notebook.
    """
    cells = []
    for cell in copy.deepcopy(notebook.cells):
        cell.metadata.pop("execution", None)
        cells.append(cell)
    return _finish([_install_cell(origin), *cells], metadata=copy.deepcopy(notebook.metadata))


def dumps(notebook: NotebookNode) -> str:
    """The notebook as file text (validated when it was made): keys sorted, ending in a newline."""
    return nbformat.writes(notebook, version=4) + "\n"
