"""Rendering the chart with the pinned helm (`make helm` puts it in .bin/).

Every test renders with `helm template` (no cluster) and reads the documents with PyYAML. Renders are
cached per argument list: the chart is the same for the whole session.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "node-agent-webhook"
HELM = REPO / ".bin" / "helm"
HELM_VERSION = "v4.3.1"  # mk/helm.mk pins the same
RELEASE = "r"
NAMESPACE = "velero"
FULLNAME = f"{RELEASE}-node-agent-webhook"
CI_FILES = sorted((CHART / "ci").glob("*-values.yaml"))
CI_IDS = [p.name.removesuffix("-values.yaml") for p in CI_FILES]

Doc = dict[str, Any]

# helm keeps caches and a config of its own: keep them out of the home directory
_HELM_HOME = tempfile.mkdtemp(prefix="helm-home-")
_HELM_ENV = {
    **os.environ,
    "HELM_CACHE_HOME": f"{_HELM_HOME}/cache",
    "HELM_CONFIG_HOME": f"{_HELM_HOME}/config",
    "HELM_DATA_HOME": f"{_HELM_HOME}/data",
}


def helm(*args: str) -> subprocess.CompletedProcess[str]:
    if not os.access(HELM, os.X_OK):
        pytest.fail(f"{HELM.relative_to(REPO)} is missing: run make helm", pytrace=False)
    return subprocess.run(
        [str(HELM), *args], capture_output=True, text=True, timeout=120, env=_HELM_ENV, check=False
    )


def template_args(values: Iterable[Path | str] = (), sets: Iterable[str] = ()) -> list[str]:
    args = ["template", RELEASE, str(CHART), "--namespace", NAMESPACE]
    for v in values:
        args += ["--values", str(v)]
    for s in sets:
        args += ["--set", s]
    return args


@functools.cache
def _render(values: tuple[str, ...], sets: tuple[str, ...]) -> tuple[Doc, ...]:
    out = helm(*template_args(values, sets))
    if out.returncode != 0:
        pytest.fail(f"helm template failed:\n{out.stderr}", pytrace=False)
    return tuple(d for d in yaml.safe_load_all(out.stdout) if d)


def render(values: Iterable[Path | str] = (), sets: Iterable[str] = ()) -> Manifests:
    return Manifests(_render(tuple(str(v) for v in values), tuple(sets)))


def render_error(
    values: Iterable[Path | str] = (), sets: Iterable[str] = (), extra: Iterable[str] = ()
) -> str:
    """helm's error text for a render that must fail (the test fails if it succeeds)."""
    out = helm(*template_args(values, sets), *extra)
    if out.returncode == 0:
        pytest.fail("helm template succeeded, expected a failure", pytrace=False)
    return out.stderr


def ci_file(name: str) -> Path:
    path = CHART / "ci" / f"{name}-values.yaml"
    assert path.is_file(), path
    return path


class Manifests:
    """The rendered documents, with look-ups by kind and name."""

    def __init__(self, docs: Iterable[Doc]) -> None:
        self.docs = list(docs)

    def __iter__(self) -> Iterator[Doc]:
        return iter(self.docs)

    def kinds(self) -> list[str]:
        return sorted(d["kind"] for d in self.docs)

    def all(self, kind: str, *, hooks: bool | None = None) -> list[Doc]:
        """Documents of one kind; hooks=False only the release's own, True only the hook ones."""
        found = [d for d in self.docs if d["kind"] == kind]
        if hooks is not None:
            found = [d for d in found if is_hook(d) == hooks]
        return found

    def one(self, kind: str, name: str | None = None) -> Doc:
        found = [d for d in self.all(kind) if name is None or d["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
        return found[0]

    def has(self, kind: str) -> bool:
        return any(d["kind"] == kind for d in self.docs)


def is_hook(doc: Doc) -> bool:
    return "helm.sh/hook" in (doc["metadata"].get("annotations") or {})


@pytest.fixture(scope="session")
def default() -> Manifests:
    return render()


@pytest.fixture(scope="session", params=CI_FILES, ids=CI_IDS)
def ci(request: pytest.FixtureRequest) -> tuple[str, Manifests]:
    """Each ci/ values file, rendered: (its short name, the documents)."""
    path: Path = request.param
    return path.name.removesuffix("-values.yaml"), render([path])
