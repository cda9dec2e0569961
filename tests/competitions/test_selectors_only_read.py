"""Reads live in selectors, writes in services: a selector never reaches for a
service, so showing a ranking or a to-do list can never change anything, and
services may build on selectors without an import circle."""

import ast
from pathlib import Path

import pytest

import competitions

COMPETITIONS = Path(competitions.__file__).parent
SELECTOR_FILES = sorted(
    [*COMPETITIONS.glob("selectors.py"), *COMPETITIONS.glob("selectors/**/*.py")]
)


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, relative
    imports spelled out in full."""
    package = ".".join(path.relative_to(COMPETITIONS.parent).parent.parts)
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join([*base, *([module] if module else [])])
            modules.add(module)
            modules.update(f"{module}.{alias.name}" for alias in node.names)
    return modules


def test_the_selectors_are_found():
    assert [path.name for path in SELECTOR_FILES if path.name != "__init__.py"]


@pytest.mark.parametrize("path", SELECTOR_FILES, ids=lambda path: path.name)
def test_a_selector_imports_no_service(path):
    services = sorted(
        module for module in _imported_modules(path) if "services" in module.split(".")
    )
    assert services == [], f"{path.name} imports {services}"
