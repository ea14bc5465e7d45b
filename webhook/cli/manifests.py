"""A file's text as documents: Kubernetes objects (YAML or JSON, several documents, Lists), or one
bare node-agent config.

A file is a manifest when it declares Kubernetes objects (`apiVersion` and `kind`); a syntax error in
such a file is reported where the parser stopped, after the documents before it. Any other file given
by name (or stdin) is a bare config, handed to the engine as its exact text so that Go's reading of
it (duplicate keys, number forms) is preserved; one found in a directory, or with `--manifests-only`,
is skipped: a directory of manifests holds values files and workflows too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from webhook.cli.reading import Input

# libyaml where the wheel has it: ~10 x faster on large manifests
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DECLARED = re.compile(r"""["']?\b(apiVersion|kind)\b["']?\s*:""")


@dataclass(frozen=True, slots=True)
class Document:
    """One thing a result is about. Exactly one of obj, text, problem, skip is set."""

    source: str  # the file it came from; "-" for stdin, "cluster" for `-n NS NAME`
    line: int | None = None  # where it starts, or where the parser stopped (1-based)
    column: int | None = None
    obj: Mapping[str, Any] | None = None  # a Kubernetes object
    text: str | None = None  # a bare config, exactly as written
    problem: str | None = None  # why it could not be read or parsed
    skip: str | None = None  # why there is nothing to check in it

    @property
    def kind(self) -> str | None:
        kind = (self.obj or {}).get("kind")
        return kind if isinstance(kind, str) else None

    def _meta(self, key: str) -> str | None:
        meta = (self.obj or {}).get("metadata")
        value = meta.get(key) if isinstance(meta, Mapping) else None
        return value if isinstance(value, str) and value else None

    @property
    def namespace(self) -> str | None:
        return self._meta("namespace")

    @property
    def name(self) -> str | None:
        return self._meta("name")

    @property
    def label(self) -> str:
        """What the text output calls it: the file, then the object (`ConfigMap velero/name`)."""
        if self.obj is None:
            return self.source
        return f"{self.source}: {self.kind} {self.qualified_name or '<unnamed>'}"

    @property
    def qualified_name(self) -> str | None:
        """`namespace/name` (or the name alone); None for a bare config or an object without a name."""
        if self.name is None:
            return None
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


def documents(item: Input, manifests_only: bool = False) -> list[Document]:
    if item.text is None:  # unreadable, or nothing to read
        return [Document(item.path, problem=item.problem, skip=item.skip)]
    parsed, error = _parse(item.path, item.text)
    if any(_is_object(obj) for _, obj in parsed) or (error is not None and _declares(item.text)):
        return [*_objects(item.path, parsed), *([error] if error else [])]
    if item.named and not manifests_only:
        return [Document(item.path, text=item.text)]
    return [Document(item.path, skip=_why_not_checked(item, parsed, error))]


def _why_not_checked(item: Input, parsed: list[tuple[int, Any]], error: Document | None) -> str:
    if error is not None:
        return f"not a Kubernetes manifest ({error.problem})"
    if not parsed:
        return "holds no Kubernetes object"
    where = "--manifests-only" if item.named else "found in a directory"
    return f"not a Kubernetes manifest; a bare config is checked when named ({where})"


def _parse(source: str, text: str) -> tuple[list[tuple[int, Any]], Document | None]:
    """The documents, each with its first line, up to the first syntax error (as a Document)."""
    loader = _Loader(text)
    parsed: list[tuple[int, Any]] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            obj = loader.construct_document(node)
            if obj is not None:
                parsed.append((node.start_mark.line + 1, obj))
    except yaml.MarkedYAMLError as exc:
        return parsed, _syntax_error(source, exc)
    except (yaml.YAMLError, RecursionError) as exc:
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        return parsed, Document(source, problem=f"cannot parse: {problem}")
    finally:
        loader.dispose()
    return parsed, None


def _syntax_error(source: str, exc: yaml.MarkedYAMLError) -> Document:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    where = f"line {line}, column {column}: " if mark is not None else ""
    problem = exc.problem or "syntax error"
    if exc.context and exc.context_mark is not None:
        problem += (
            f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        )
    return Document(source, line=line, column=column, problem=f"syntax error at {where}{problem}")


def _is_object(obj: Any) -> bool:
    return isinstance(obj, Mapping) and isinstance(obj.get("kind"), str) and "apiVersion" in obj


def _declares(text: str) -> bool:
    """Whether text that did not parse names both `apiVersion` and `kind` as keys: a broken manifest."""
    return {m.group(1) for m in _DECLARED.finditer(text)} == {"apiVersion", "kind"}


def _objects(source: str, parsed: list[tuple[int, Any]]) -> Iterator[Document]:
    for line, obj in parsed:
        if not _is_object(obj):
            yield Document(source, line=line, skip="not a Kubernetes object (no apiVersion and kind)")
        elif str(obj["kind"]).endswith("List") and isinstance(obj.get("items"), list):
            yield from _items(source, line, obj["items"])
        else:
            yield Document(source, line=line, obj=obj)


def _items(source: str, line: int, items: list[Any]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("kind"), str):
            yield Document(source, line=line, obj=item)  # kubectl's Lists leave apiVersion in items
        else:
            yield Document(source, line=line, skip="a List item that is not a Kubernetes object")
