"""requirements.lock (the image's dependencies) agrees with pyproject.toml; `make lock` regenerates it.

These checks are static and fast. That the lock is a complete closure (nothing missing, extras
included) is checked on a real install, in test_image_venv.py.
"""

from __future__ import annotations

from packaging.requirements import Requirement

from .dockerfile import lock_entries, lock_pins, normalise, pyproject


def runtime_requirements() -> list[Requirement]:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    return [Requirement(r) for r in project["dependencies"]]


def test_every_runtime_dependency_is_pinned_exactly_in_pyproject() -> None:
    for req in runtime_requirements():
        [spec] = list(req.specifier)
        assert spec.operator == "==", f"{req}: pyproject pins every runtime dependency exactly"


def test_the_lock_has_the_versions_pyproject_pins() -> None:
    pins = lock_pins()
    drift = {
        req.name: (str(req.specifier), pins.get(normalise(req.name)))
        for req in runtime_requirements()
        if not req.specifier.contains(pins.get(normalise(req.name), "0"), prereleases=True)
    }
    assert drift == {}, f"requirements.lock is out of date (pyproject, lock): {drift}; run make lock"


def test_the_lock_has_a_build_backend_pyproject_accepts() -> None:
    build = pyproject()["build-system"]
    assert isinstance(build, dict)
    pins = lock_pins()
    for text in build["requires"]:
        req = Requirement(text)
        locked = pins[normalise(req.name)]
        assert req.specifier.contains(locked), f"{req} vs the lock's {locked}"


def test_every_locked_distribution_is_hashed() -> None:
    entries = lock_entries()
    assert entries.keys() == lock_pins().keys()
    for name, hashes in entries.items():
        assert hashes, f"{name} has no --hash: pip install --require-hashes would refuse the lock"


def test_no_development_tool_in_the_image() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    dev = {normalise(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    assert dev & lock_pins().keys() == set()
