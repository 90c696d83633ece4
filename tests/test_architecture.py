"""The import directions and third-party fences of ARCHITECTURE.md, read from every module's AST.

Every `import` counts, wherever it stands (top level, inside a function, under TYPE_CHECKING):
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

import tengnuo

PACKAGE = Path(tengnuo.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))

# Internal layers: each may import the layers listed, besides itself and `errors`.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "model": set(),
    "check": {"model"},
    "solver": {"model"},
    "formats": {"model"},
    "store": {"model"},
    "sync": {"model", "formats", "store"},
    "planner": {"model", "check", "solver", "formats", "store", "sync"},
    "cli": {"model", "planner", "formats.plan_json"},
    "web": {"model", "planner", "formats.plan_json"},
}
PUBLIC = {"__init__", "__main__"}  # re-exports and the `python -m` entry point

# Third-party libraries and the only modules that may import them (fnmatch patterns over dotted
# module names; `formats.ics*` is ARCHITECTURE.md's `formats/ics*.py`).
FENCES: dict[str, tuple[str, ...]] = {
    "ortools": ("solver", "solver.*"),
    "icalendar": ("formats.ics*", "sync", "sync.*"),
    "recurring_ical_events": ("formats.ics*", "sync", "sync.*"),
    "caldav": ("sync.storage_caldav",),
    "sqlite3": ("store", "store.*", "sync.status"),
    "yaml": ("formats", "formats.*", "web", "web.*"),
    "pydantic": ("formats", "formats.*", "web", "web.*"),
    "typer": ("cli", "cli.*"),
    "rich": ("cli", "cli.*"),
    "fastapi": ("web", "web.*"),
}

# The checker is the oracle: it shares only the model's dataclasses with what it checks.
ORACLE_FORBIDDEN = ("tengnuo.solver", "tengnuo.model.hours", "tengnuo.model.cost")


def module_name(path: Path) -> str:
    """`src/tengnuo/formats/ics.py` -> `formats.ics` (`__init__` names its package)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    """`check_rules` belongs to `check`, `solver.grid` to `solver`."""
    top = module.split(".")[0]
    return "check" if top.startswith("check") else top


def imports_in(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of every import in `source`, relative ones resolved.

    `from tengnuo.formats import plan_json` yields `tengnuo.formats` and
    `tengnuo.formats.plan_json` (the name may be a module); `from tengnuo import planner` yields
    only `tengnuo.planner`.
    """
    package = ["tengnuo", *module.split(".")]
    if not is_package:
        package = package[:-1]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name != "tengnuo":
                out.append((node.lineno, name))
            if name == "tengnuo" or name.startswith("tengnuo."):
                out += [(node.lineno, f"{name}.{alias.name}") for alias in node.names
                        if alias.name != "*"]
    return out


def imports_of(path: Path) -> list[tuple[int, str]]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path),
                      is_package=path.name == "__init__.py")


def layer_violations(module: str, imports: list[tuple[int, str]]) -> list[str]:
    """Imports of tengnuo layers that `module`'s layer may not import."""
    if module in PUBLIC:
        return []
    layer = layer_of(module)
    if layer not in ALLOWED:
        return [f"{module}: unknown layer {layer!r}; place it in ARCHITECTURE.md and here"]
    allowed = {layer, "errors", *ALLOWED[layer]}
    wrong = []
    for line, name in imports:
        if name == "tengnuo":
            wrong.append(f"line {line}: `import tengnuo` (import the module it needs instead)")
            continue
        if not name.startswith("tengnuo."):
            continue
        target = name.removeprefix("tengnuo.")
        if layer_of(target) in (layer, "errors"):
            continue
        if any(target == a or target.startswith(f"{a}.") for a in allowed):
            continue
        # the parent of an allowed module (`tengnuo.formats` for `formats.plan_json`): what is
        # imported from it is judged by its own `tengnuo.formats.<name>` entry
        if any(a.startswith(f"{target}.") for a in allowed):
            continue
        wrong.append(f"line {line}: {name}")
    return wrong


def fence_violations(module: str, imports: list[tuple[int, str]]) -> list[str]:
    """Imports of fenced third-party libraries outside their fences."""
    wrong = []
    for line, name in imports:
        places = FENCES.get(name.split(".")[0])
        if places is not None and not any(fnmatchcase(module, p) for p in places):
            wrong.append(f"line {line}: {name} (allowed only in {', '.join(places)})")
    return wrong


def oracle_violations(imports: list[tuple[int, str]]) -> list[str]:
    return [f"line {line}: {name}" for line, name in imports
            if any(name == f or name.startswith(f"{f}.") for f in ORACLE_FORBIDDEN)]


# --- the package as it is ----------------------------------------------------------------------


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_module_imports_follow_the_layers(path):
    """Each module imports only the tengnuo layers ARCHITECTURE.md allows it."""
    module = module_name(path)
    wrong = layer_violations(module, imports_of(path))
    allowed = sorted(ALLOWED.get(layer_of(module), set()))
    assert not wrong, f"{module} may import only errors and {allowed}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_third_party_libraries_stay_inside_their_fences(path):
    """ortools, icalendar, sqlite3, yaml, pydantic, typer, rich... only where they belong."""
    wrong = fence_violations(module_name(path), imports_of(path))
    assert not wrong, f"{module_name(path)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", [p for p in MODULES if layer_of(module_name(p)) == "check"],
                         ids=module_name)
def test_checker_shares_no_code_with_the_solver(path):
    """check.py and its helpers never import the solver, nor the model code it builds on."""
    wrong = oracle_violations(imports_of(path))
    assert not wrong, f"{module_name(path)}:\n" + "\n".join(wrong)


def test_every_layer_is_walked():
    """The walk finds the package's layers (guards against a wrong PACKAGE path)."""
    layers = {layer_of(module_name(p)) for p in MODULES}
    assert {"errors", "model", "check", "solver", "formats"} <= layers


# --- the rules themselves catch what they should -----------------------------------------------


@pytest.mark.parametrize(("module", "source"), [
    ("model.items", "from tengnuo.solver import solve"),
    ("model.plan", "from tengnuo.formats.plan_json import plan_to_json"),
    ("check", "from tengnuo.solver.grid import Grid"),
    ("solver.grid", "from tengnuo.formats import planfile"),
    ("solver.grid", "from tengnuo import planner"),
    ("formats.ics", "import tengnuo.solver"),
    ("cli.main", "from tengnuo.formats.planfile import load_planfile"),
    ("cli.main", "from tengnuo.formats import planfile"),
    ("cli.main", "def f():\n    from tengnuo.solver import solve"),
    ("cli.render", "from tengnuo.check import check"),
    ("solver.explain", "from ..formats import planfile"),
    ("model", "import tengnuo"),
])
def test_layer_rule_rejects(module, source):
    """Imports against the arrows of ARCHITECTURE.md are reported (lazy ones too)."""
    is_package = "." not in module and module not in ("check", "planner")
    assert layer_violations(module, imports_in(source, module, is_package=is_package))


@pytest.mark.parametrize(("module", "source"), [
    ("model.items", "from tengnuo.model.horizon import DayRange\nfrom tengnuo.errors import Issue"),
    ("model.items", "from .horizon import DayRange"),
    ("check_rules", "from tengnuo.check_context import Context"),
    ("cli.main", "from tengnuo.formats.plan_json import plan_to_json"),
    ("cli.main", "from tengnuo.formats import plan_json"),
    ("cli.main", "from tengnuo import planner"),
    ("planner", "from tengnuo.solver import solve\nfrom tengnuo.formats.ics import plan_to_ics"),
])
def test_layer_rule_accepts(module, source):
    """Imports along the arrows pass."""
    assert layer_violations(module, imports_in(source, module)) == []


@pytest.mark.parametrize(("module", "source", "ok"), [
    ("solver.cpsat_model", "from ortools.sat.python import cp_model", True),
    ("formats.plan_json", "from ortools.sat.python import cp_model", False),
    ("formats.ics_rules", "import icalendar", True),
    ("formats.planfile", "import icalendar", False),
    ("formats.planfile_yaml", "import yaml", True),
    ("model.items", "import yaml", False),
    ("cli.render", "from rich.table import Table", True),
    ("planner", "import typer", False),
    ("store.db", "import sqlite3", True),
    ("sync.status", "import sqlite3", True),
    ("sync.sync", "import sqlite3", False),
    ("solver.engine", "def f():\n    import pydantic", False),
])
def test_fence_rule(module, source, ok):
    """Fenced libraries pass inside their fence and are reported outside it."""
    assert (fence_violations(module, imports_in(source, module)) == []) is ok


def test_oracle_rule_rejects_shared_model_code():
    """The checker may not build on model.hours or model.cost, which the solver uses."""
    source = "from tengnuo.model.hours import profile_windows\nfrom tengnuo.model.plan import Plan"
    assert oracle_violations(imports_in(source, "check_rules")) == [
        "line 1: tengnuo.model.hours", "line 1: tengnuo.model.hours.profile_windows"]
