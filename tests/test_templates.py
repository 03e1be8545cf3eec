"""The compiled-template cache the plugin keeps across `mkdocs serve` rebuilds."""

from __future__ import annotations

import jinja2

from executed_pages.templates import CompiledTemplates


def environment(sources: dict[str, str], cache: CompiledTemplates) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)


def test_a_new_environment_reuses_the_compiled_template_without_compiling_it_again(monkeypatch):
    cache = CompiledTemplates()
    sources = {"page.html": "Hello {{ name }}"}
    assert environment(sources, cache).get_template("page.html").render(name="you") == "Hello you"
    compiled = []
    real_compile = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a) or real_compile(self, *a, **k)
    )
    assert environment(sources, cache).get_template("page.html").render(name="again") == "Hello again"
    assert compiled == []


def test_an_edited_template_is_compiled_again_not_served_stale():
    cache = CompiledTemplates()
    assert environment({"page.html": "old {{ x }}"}, cache).get_template("page.html").render(x=1) == "old 1"
    edited = environment({"page.html": "new {{ x }}"}, cache).get_template("page.html")
    assert edited.render(x=2) == "new 2"
