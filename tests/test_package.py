"""rnnlib as learners install it: the module map is true, every import is declared, no grading code ships."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
import zipfile

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PACKAGE = ROOT / "rnnlib"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _modules() -> set[str]:
    """Every public module of the package, as ``rnnlib.x`` or ``rnnlib.data``."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) > 1 and not any(part.startswith("_") for part in parts):
            found.add(".".join(parts[:2]))  # rnnlib.data's modules are mapped as one idea
    return found


def test_the_module_map_in_rnnlib_init_is_true():
    doc = (PACKAGE / "__init__.py").read_text()
    mapped = set(re.findall(r":mod:`(rnnlib\.\w+)`", doc))
    assert mapped == _modules(), f"in the map only: {mapped - _modules()}; missing from it: {_modules() - mapped}"


def _imported_distributions() -> set[str]:
    """The distributions that rnnlib's modules import (standard library and rnnlib left out)."""
    top_level = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                top_level.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top_level.add(node.module.split(".")[0])
    top_level -= set(sys.stdlib_module_names) | {"rnnlib", "__future__"}
    # myst_nb is optional on purpose: rnnlib.book.glue uses it when the book is being built.
    top_level -= {"myst_nb"}
    owners = importlib.metadata.packages_distributions()
    return {canonicalize_name(owners[name][0]) for name in top_level}


def test_every_import_of_rnnlib_is_a_declared_dependency():
    declared = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
    imported = _imported_distributions()
    assert imported == declared, (
        f"imported, not declared: {imported - declared}; declared, not imported: {declared - imported}"
    )


def test_the_built_package_holds_rnnlib_only_and_needs_no_grading_code(rnnlib_wheel):
    with zipfile.ZipFile(rnnlib_wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert {n.split("/")[0] for n in names} == {"rnnlib", rnnlib_wheel.name.split("-py3")[0] + ".dist-info"}
    requirements = [
        Requirement(line.split(":", 1)[1]) for line in metadata.splitlines() if line.startswith("Requires-Dist:")
    ]
    assert all(canonicalize_name(r.name) != "otter-grader" for r in requirements), (
        "a plain install must not pull in otter"
    )
    plain = {canonicalize_name(r.name) for r in requirements if r.marker is None}
    assert plain == {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
