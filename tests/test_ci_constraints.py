""".ci/lowest.txt pins every direct dependency to exactly its lower bound in pyproject.toml.

.ci/run runs the suite a second time with `pip install -c .ci/lowest.txt -e '.[test]'`, so
that the lower bounds pyproject.toml promises are the versions that get tested. Direct
dependencies are the runtime ones and those of the `test` extra.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11 on; 3.10 has no TOML reader

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONSTRAINTS = ROOT / ".ci" / "lowest.txt"

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_VERSION = r"[0-9]+(?:\.[0-9]+)*"
# The only requirement form understood here: `name>=version`, with nothing else.
_REQUIREMENT = re.compile(rf"(?P<name>{_NAME})\s*>=\s*(?P<version>{_VERSION})")
_PIN = re.compile(rf"(?P<name>{_NAME})==(?P<version>{_VERSION})")


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _direct_requirements() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    runtime = project["dependencies"]
    test = project["optional-dependencies"]["test"]
    assert runtime and test, "pyproject.toml lists no dependencies or no test extra"
    return [*runtime, *test]


def _lower_bounds() -> dict[str, tuple[str, str]]:
    """Normalized name -> (name as spelled, lower bound) of each direct dependency."""
    bounds: dict[str, tuple[str, str]] = {}
    for requirement in _direct_requirements():
        match = _REQUIREMENT.fullmatch(requirement.strip())
        if match is None:
            pytest.fail(f"pyproject.toml: {requirement!r} is not of the form 'name>=X'; "
                        "teach tests/test_ci_constraints.py (and .ci/lowest.txt) about it")
        name, version = match["name"], match["version"]
        key = _normalized(name)
        if key in bounds and bounds[key][1] != version:
            pytest.fail(f"pyproject.toml: {name} has two lower bounds, "
                        f">={bounds[key][1]} and >={version}")
        bounds.setdefault(key, (name, version))
    return bounds


def _pins() -> dict[str, tuple[str, str]]:
    """Normalized name -> (name as spelled, pinned version) of each line of .ci/lowest.txt."""
    pins: dict[str, tuple[str, str]] = {}
    for number, raw in enumerate(CONSTRAINTS.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _PIN.fullmatch(line)
        if match is None:
            pytest.fail(f".ci/lowest.txt:{number}: {raw!r} is not of the form 'name==X'")
        key = _normalized(match["name"])
        if key in pins:
            pytest.fail(f".ci/lowest.txt:{number}: {match['name']} is pinned twice")
        pins[key] = (match["name"], match["version"])
    return pins


def test_every_direct_dependency_has_a_lower_bound() -> None:
    missing = [r for r in _direct_requirements() if ">=" not in r]
    assert not missing, f"direct dependencies without a '>=' lower bound: {missing}"
    assert _lower_bounds()


def test_lowest_constraints_pin_exactly_the_lower_bounds() -> None:
    bounds, pins = _lower_bounds(), _pins()
    problems = [f"missing: {bounds[k][0]}=={bounds[k][1]}" for k in bounds if k not in pins]
    problems += [f"extra: {pins[k][0]}=={pins[k][1]} (not a direct dependency)"
                 for k in pins if k not in bounds]
    problems += [f"{pins[k][0]}=={pins[k][1]}, but pyproject.toml says >={bounds[k][1]}"
                 for k in pins if k in bounds and pins[k][1] != bounds[k][1]]
    expected = "\n".join(f"{name}=={version}" for name, version in bounds.values())
    assert not problems, (
        ".ci/lowest.txt does not pin the lower bounds of pyproject.toml:\n  "
        + "\n  ".join(problems) + f"\nits pins should read:\n{expected}")
