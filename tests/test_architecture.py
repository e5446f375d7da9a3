"""docs/architecture.md stays true: every module it names imports, every leaf it names imports nothing of
the project, and nothing under the rooms reads the process environment; no function outside bench/ and
demo/ grows past a screen (issue 27)."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
NAMED = sorted(set(re.findall(r"`(gongkai(?:\.[a-z_]+)+)", DOC)) - {"gongkai.toml"})  # the config file
LEAVES = (
    "gongkai.domain.codes",
    "gongkai.domain.register",
    "gongkai.options",
    "gongkai.schedule",
    "gongkai.text_safety",
)
ROOMS = ("flows", "parsers", "warehouse", "collect", "dashboards")


def test_the_page_names_the_rooms_and_their_modules():
    assert len(NAMED) > 40
    for room in ROOMS:
        assert f"gongkai.{room}" in NAMED


@pytest.mark.parametrize("name", NAMED)
def test_every_module_named_imports(name):
    module, _, attribute = name.rpartition(".")
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        # `gongkai.parsers.parse.parse_report`, `gongkai.flows.county.county_run`: a module's attribute
        assert hasattr(importlib.import_module(module), attribute), name


@pytest.mark.parametrize("leaf", LEAVES)
def test_a_leaf_imports_nothing_of_the_project(leaf):
    script = f"import sys, {leaf}; print(sorted(m for m in sys.modules if m.startswith('gongkai.') and m != {leaf!r}))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = [m for m in eval(out.stdout) if not leaf.startswith(m + ".")]  # its own package's __init__ aside
    assert loaded == []


def test_nothing_under_the_rooms_reads_the_environment():
    readers = []
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                    if isinstance(node.value, ast.Name) and node.value.id == "os":
                        readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for room in (*ROOMS, "gongkai"):
        for path in sorted((ROOT / room).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > 60:
                        long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []
