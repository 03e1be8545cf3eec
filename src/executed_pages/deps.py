"""Which of the package's modules a page's output can depend on.

``keys.py`` keys each executed page on the modules it uses, so a change to one
module runs again only the pages that use it.

A page depends on the modules it imports names from (in its code blocks or cells,
or by documenting them with a ``::: sgd_tutorial.module`` line), on the modules
those import in turn, and on ``__init__.py``, which every import runs. Whatever
the analysis cannot follow counts as the whole package: ``import sgd_tutorial``,
a name it cannot place, the package's name in a string, code that does not
parse. A page is therefore never kept when its output could have changed.

Importing the package runs every module (``__init__`` imports them all), so a
module that does more at import than define names (a call, an assignment to
anything but a plain name, such as ``rcParams["font.size"] = 8``) could change
the output of any page: every page that uses the package depends on it.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import textwrap
from pathlib import Path

_DOCUMENTED = re.compile(r"^[ \t]*::: *([\w.]+)", re.M)


class Package:
    """The modules of a flat package, what ``__init__`` exports and who imports whom.

    Args:
        root: The package's folder.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = root.name
        self.files = {path.stem: path for path in sorted(root.glob("*.py"))}
        trees = {module: _parse(path.read_bytes(), path.name) for module, path in self.files.items()}
        self.exports: dict[str, str] = {}  # name -> module that defines it
        for node in trees["__init__"].body if "__init__" in trees else []:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                self.exports.update((alias.asname or alias.name, node.module) for alias in node.names)
        self.imports: dict[str, set[str]] = {}
        for module, tree in trees.items():
            if module == "__init__":
                # Its imports run every module, but only to re-export names;
                # a page depends on the modules of the names it takes.
                self.imports[module] = set()
                continue
            found = self._imported(tree, inside=True)
            self.imports[module] = self.everything if found is None else found
        # Modules whose import may change more than their own names.
        self.effects = {module for module, tree in trees.items() if not _only_defines(tree)}

    @classmethod
    def find(cls, name: str) -> Package:
        """The package of this import name, located the way Python would import it (without importing it).

        Raises:
            ModuleNotFoundError: Python cannot find a package of that name.
        """
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(f"cannot find the package {name!r}; is it installed?", name=name)
        return cls(Path(next(iter(spec.submodule_search_locations))))

    @property
    def everything(self) -> set[str]:
        return set(self.files)

    def _imported(self, tree: ast.AST, inside: bool) -> set[str] | None:
        """The package's modules a piece of code imports; None when it cannot tell."""
        found: set[str] = set()
        for node in ast.walk(tree):
            if not inside and isinstance(node, ast.Constant) and self.name in str(node.value):
                return None  # importlib.import_module("sgd_tutorial.fit") and the like
            if isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] != self.name:
                        continue
                    if len(parts) == 1:
                        return None  # the whole package, used through its name
                    found.add(parts[1])
            elif isinstance(node, ast.ImportFrom):
                if inside and node.level > 1:
                    return None  # above the package: not a flat package any more
                relative = inside and node.level == 1
                parts = node.module.split(".") if node.module else []
                if relative:
                    parts = [self.name, *parts]
                elif node.level or not parts or parts[0] != self.name:
                    continue
                if len(parts) > 1:
                    found.add(parts[1])
                    continue
                for alias in node.names:  # from sgd_tutorial import name, ...
                    if alias.name in self.files:
                        found.add(alias.name)
                    elif alias.name in self.exports:
                        found.add(self.exports[alias.name])
                    else:
                        return None  # `*`, or a name it cannot place
        unknown = found - set(self.files)
        return None if unknown else found

    def closure(self, modules: set[str]) -> set[str]:
        """The modules given, all they import from the package, ``__init__``, and the modules with effects."""
        seen: set[str] = set()
        todo = {*modules, "__init__", *self.effects}
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            todo |= self.imports.get(module, set())
        return seen

    def used_by(self, code_blocks: list[str], markdown: str = "") -> set[str]:
        """The modules that the given code, and the ``:::`` lines of ``markdown``, depend on.

        Args:
            code_blocks: The page's code, one string per block or cell.
            markdown: The page's Markdown, for the modules it documents.
        """
        used: set[str] = set()
        for code in code_blocks:
            # Lines of IPython's own syntax (%magic, !shell) are not Python.
            lines = code.splitlines()
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
            try:
                tree = _parse(textwrap.dedent(code))
            except SyntaxError:
                return self.everything
            found = self._imported(tree, inside=False)
            if found is None:
                return self.everything
            used |= found
        for target in _DOCUMENTED.findall(markdown):
            parts = target.split(".")
            if parts[0] != self.name:
                continue
            if len(parts) == 1 or parts[1] not in self.files:
                return self.everything
            used.add(parts[1])
        return self.closure(used)


@functools.lru_cache(maxsize=1024)
def _parse(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, remembered: `mkdocs serve` asks again for the same sources on every
    rebuild. The trees are only read, never changed."""
    return ast.parse(source, filename)


def _only_defines(tree: ast.Module) -> bool:
    """Whether a module's top level only imports, defines functions and classes, and names literals."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        value = getattr(node, "value", None)
        if targets and all(isinstance(t, ast.Name) for t in targets) and (value is None or _literal(value)):
            continue
        return False
    return True


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True
