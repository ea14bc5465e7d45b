"""What the CLI checks: ConfigMap manifests (YAML or JSON, several documents, Lists) or bare configs.

A file is a manifest when it parses as YAML/JSON documents holding a ConfigMap or a List; anything
else is a bare node-agent config, passed to the engine as its exact text so that Go's reading of it
(duplicate keys, number forms) is preserved.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class SourceError(Exception):
    """A path that cannot be read; the CLI prints it and exits 2."""


@dataclass(frozen=True, slots=True)
class Source:
    label: str  # what the output calls it: the path, plus the ConfigMap's namespace/name
    configmap: Mapping[str, Any] | None = None
    text: str | None = None  # a bare config


def read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read: {exc}") from exc


def _documents(text: str) -> list[Any] | None:
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError:
        return None
    except RecursionError:
        return None


def _configmaps(doc: Any) -> Iterator[Mapping[str, Any]]:
    if not isinstance(doc, Mapping):
        return
    if doc.get("kind") == "ConfigMap":
        yield doc
    elif doc.get("kind") == "List" or str(doc.get("kind", "")).endswith("List"):
        for item in doc.get("items") or []:
            yield from _configmaps(item)


def _is_manifest(docs: list[Any]) -> bool:
    return any(isinstance(d, Mapping) and isinstance(d.get("kind"), str) and "apiVersion" in d for d in docs)


def label_of(path: str, cm: Mapping[str, Any]) -> str:
    meta = cm.get("metadata") or {}
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    return f"{path}: ConfigMap {where}{meta.get('name', '<unnamed>')}"


def sources(path: str) -> list[Source]:
    text = read_text(path)
    docs = _documents(text)
    if docs is None or not _is_manifest(docs):
        return [Source(path, text=text)]
    found = [Source(label_of(path, cm), configmap=cm) for d in docs for cm in _configmaps(d)]
    if not found:
        raise SourceError(f"{path}: no ConfigMap in it (a manifest of other kinds)")
    return found
