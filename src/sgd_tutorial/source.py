"""The source of the package's functions, for pages that show what they run."""

from __future__ import annotations

import ast
import builtins
import importlib.util
import inspect
import sys
import textwrap

__all__ = ["source"]


def source(obj: object, docstring: bool = True, imports: bool = True) -> str:
    """The source code of a function or class, as it is in the installed package.

    Pages show it so that a reader can copy a definition that is exactly what
    ran, never a second copy kept by hand. With ``imports``, the definition comes
    after the imports it needs, so that it runs when pasted into a fresh file:
    the module's own imports of the names it uses (relative ones written as
    ``from sgd_tutorial.x import y``), and ``from sgd_tutorial.x import y`` for
    the other names of its module that it uses (helpers, constants, classes).

    Args:
        obj: A function or class.
        docstring: Keep the docstring; without it the definition is shorter, and the
            API reference still has the docstring.
        imports: Put the imports the definition needs before it.

    Returns:
        The definition (dedented, after its imports when ``imports``), ending with a
        newline.

    Raises:
        TypeError: If ``obj`` is not a function or class defined in a Python file.
    """
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        raise TypeError(f"source: expected a function or class, got {type(obj).__name__}")
    text = textwrap.dedent(inspect.getsource(obj))
    if not docstring:
        text = _without_docstring(text)
    if not imports:
        return text
    header = _imports_for(text, sys.modules[obj.__module__])
    return f"{header}\n\n{text}" if header else text


def _without_docstring(text: str) -> str:
    body = ast.parse(text).body[0].body
    first = body[0] if body else None
    # A body that is only a docstring keeps it: without it the definition would be empty.
    if len(body) < 2 or not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return text
    lines = text.splitlines(keepends=True)
    del lines[first.lineno - 1 : first.end_lineno]
    return "".join(lines)


def _free_names(definition: ast.AST) -> list[str]:
    """Names the definition reads but does not bind itself, in order of first use."""
    bound = {
        node.id
        for node in ast.walk(definition)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    }
    for node in ast.walk(definition):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node is not definition
        ):
            bound.add(node.name)
    used = [
        node.id
        for node in ast.walk(definition)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    ]
    return list(dict.fromkeys(name for name in used if name not in bound and not hasattr(builtins, name)))


def _module_bindings(module) -> dict[str, tuple[int, str, str | None]]:
    """Each module-level name -> (where it is bound, the module it comes from, the name there).

    The name there is None for ``import x``; the names a module defines itself
    come from that module and are placed after all of its imports.
    """
    tree = ast.parse(inspect.getsource(module))
    statements = list(tree.body)
    # Imports under `if TYPE_CHECKING:` count too: pasted annotations are evaluated.
    statements += [stmt for node in tree.body if isinstance(node, ast.If) for stmt in node.body]
    own = len(statements)
    bindings: dict[str, tuple[int, str, str | None]] = {}
    for index, node in enumerate(statements):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                bindings[bound] = (index, alias.name if alias.asname else bound, None)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            origin = importlib.util.resolve_name("." * node.level + (node.module or ""), module.__package__)
            for alias in node.names:
                bindings[alias.asname or alias.name] = (index, origin, alias.name)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bindings[node.name] = (own, module.__name__, node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for name in (n for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)):
                bindings[name.id] = (own, module.__name__, name.id)
    return bindings


def _imports_for(text: str, module) -> str:
    """The import lines that give ``text``'s free names the values they have in ``module``.

    In the module's order, which keeps its grouping (standard library, third
    party, then the package).
    """
    bindings = _module_bindings(module)
    lines: dict[tuple[int, str], list[str]] = {}
    for name in _free_names(ast.parse(text).body[0]):
        if name in bindings:
            index, origin, imported = bindings[name]
            if imported is None:
                line = f"import {origin}" if origin == name else f"import {origin} as {name}"
                lines.setdefault((index, line), [])
            else:
                lines.setdefault((index, origin), []).append(
                    imported if imported == name else f"{imported} as {name}"
                )
    return "".join(
        f"{key}\n" if not names else f"from {key} import {', '.join(names)}\n"
        for (_, key), names in sorted(lines.items(), key=lambda item: item[0][0])
    )
