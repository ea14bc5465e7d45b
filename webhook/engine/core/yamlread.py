"""A YAML config read as Velero's Go code reads it, into the shape the Go-JSON decoder walks.

Two readers, each one library's rules to the letter:

* gopkg.in/yaml.v3 with KnownFields (resource policies): keys are compared as written (a mapping
  that repeats one is refused), a scalar decodes into a string field as written (`1.0` stays
  "1.0"), a null list element is dropped, merge keys (`<<`) let the mapping's own keys win. A schema
  node marked `x-reencoded` is what Velero first decodes into `interface{}`, writes back out with
  yaml.v3's encoder and decodes again (`conditions`): there a string field gets the re-encoded text
  (`1.0` becomes "1", `2024-01-02` becomes "2024-01-02T00:00:00Z").
* sigs.k8s.io/yaml's UnmarshalStrict (resource modifiers): yaml.v2 strict into `interface{}` (YAML
  1.1: `yes` is true; a key set twice, also through a merge, is an error), then JSON, where a
  number or boolean bound for a Go string field becomes its text (floats at 32-bit precision: 1e3
  is "1000", 3.14159265 is "3.1415927"), keys sorted as json.Marshal sorts them; encoding/json then
  decodes with unknown fields disallowed and keys matched case-insensitively.

The result (webhook.engine.core.gojson's shape) goes through the same decoder and schema as a JSON
config; what only YAML has (duplicate keys, aliases, merges, documents) is reported here, each with
its line, and `YamlSource` keeps every value's node for the lines and styles the checks cite.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.decode import fold
from webhook.engine.core.gojson import Float, Pairs
from webhook.engine.core.gonumbers import INT64_MAX, Timestamp, format_g, format_json
from webhook.engine.core.goyaml import (
    Dialect,
    GoYAMLError,
    encoded,
    go_type,
    go_value,
    is_merge,
    is_null,
    string_of,
)
from webhook.engine.core.reading import Read, Reading
from webhook.engine.core.schema import Node as SchemaNode
from webhook.engine.core.schema import Schema, go_kind
from webhook.engine.core.yamlnodes import Node, Stream, YAMLSyntaxError, compose

MAX_DECODES = 2_000_000  # node visits, aliases expanded: a bound Go does not have, on top of its ratio
DROPPED = "a null list element: {library} drops it, so the elements after it move up one"


@dataclass
class YamlSource:
    """Every value of a document as the decoder's paths name it, with the node it was read from."""

    dialect: Dialect
    nodes: dict[f.FieldPath, Node] = field(default_factory=dict)

    def node(self, path: f.FieldPath) -> Node | None:
        found = self.nodes.get(path)
        return found.resolved() if found is not None else None

    def line(self, path: f.FieldPath) -> int | None:
        """The line of the value at `path`, else of the nearest enclosing value (not the document)."""
        for n in range(len(path.steps), 0, -1):
            found = self.nodes.get(f.FieldPath(path.steps[:n]))
            if found is not None:
                return found.line
        return None

    def go_type(self, path: f.FieldPath) -> str | None:
        """Go's %T of the value when decoded into `interface{}` (None: nothing written there)."""
        node = self.node(path)
        return None if node is None else any_type(node, self.dialect)


def any_type(node: Node, dialect: Dialect) -> str:
    node = node.resolved()
    if node.kind == "sequence":
        return "[]interface {}"
    if node.kind == "mapping":
        keys = node.children[0::2]
        strings = all(_key_tag(k, dialect) in ("!!str", "!!merge") for k in keys)
        return (
            "map[string]interface {}"
            if strings and dialect is Dialect.V3
            else "map[interface {}]interface {}"
        )
    return go_type(go_value(node, dialect)[1])


def _key_tag(key: Node, dialect: Dialect) -> str:
    key = key.resolved()
    if key.kind != "scalar":
        return "!!" + key.kind[:3]
    return go_value(key, dialect)[0]


def read_yaml(text: str, schema: Schema, dialect: Dialect) -> Read:
    """The first document of `text` for `schema`, as `dialect` decodes it."""
    try:
        stream = compose(text)
    except YAMLSyntaxError as exc:
        err = f.FieldError(
            f.ErrorType.INVALID,
            f.ROOT,
            f"invalid YAML: {exc.problem}",
            origin="syntax",
            line=exc.line or None,
        )
        return Read(None, [err], fatal=True)
    if stream.root is None:
        return _empty(dialect)
    source = YamlSource(dialect)
    convert = _V3(schema, source) if dialect is Dialect.V3 else _V2(schema, source)
    try:
        value = convert.document(stream.root)
    except GoYAMLError as exc:
        err = f.FieldError(f.ErrorType.INVALID, f.ROOT, exc.message, origin="yaml", line=exc.line or None)
        return Read(None, [err], fatal=True, source=source)
    read = Read(value, convert.errors, convert.warnings, source=source)
    _documents(stream, dialect, read)
    return read


def _empty(dialect: Dialect) -> Read:
    """No document at all: yaml.v3's Decode returns io.EOF; yaml.v2 decodes nothing, without error."""
    if dialect is Dialect.V2:
        return Read(None, source=YamlSource(dialect))
    err = f.FieldError(f.ErrorType.REQUIRED, f.ROOT, "holds no YAML document (yaml.v3: EOF)", origin="empty")
    return Read(None, [err], fatal=True)


def _documents(stream: Stream, dialect: Dialect, read: Read) -> None:
    if stream.documents < 2:
        return
    if not stream.rest_holds:
        detail = f"an empty YAML document after the first: {dialect.value} reads only the first"
        read.warnings.append(f.FieldWarning(f.ROOT, detail, stream.second_line or None))
        return
    broken = f" (not valid YAML: {stream.rest_error})" if stream.rest_error else ""
    detail = (
        f"must hold one YAML document: {dialect.value} reads the first and silently drops the rest{broken}"
    )
    read.errors.append(
        f.FieldError(
            f.ErrorType.TOO_MANY,
            f.ROOT,
            detail,
            f.Literal(str(stream.documents)),
            "documents",
            stream.second_line or None,
        )
    )


def allowed_alias_ratio(decodes: int) -> float:
    """decode.go's allowedAliasRatio: 99 % of small documents may come from aliases, 10 % of huge ones."""
    low, high = 400_000, 4_000_000
    if decodes <= low:
        return 0.99
    if decodes >= high:
        return 0.10
    return 0.99 - 0.89 * (decodes - low) / (high - low)


class _Walk:
    """What both readers share: alias expansion as Go guards it, and the paths of the schema."""

    def __init__(self, schema: Schema | None, source: YamlSource, strict: bool = True) -> None:
        self.schema, self.source, self.strict = schema, source, strict
        self.errors: list[f.FieldError] = []
        self.warnings: list[f.FieldWarning] = []
        self.expanding: set[int] = set()
        self.decodes = self.aliased = self.depth = 0

    def count(self) -> None:
        self.decodes += 1
        if self.depth:
            self.aliased += 1
        if (
            self.aliased > 100
            and self.decodes > 1000
            and self.aliased / self.decodes > allowed_alias_ratio(self.decodes)
        ):
            raise GoYAMLError("document contains excessive aliasing")
        if self.decodes > MAX_DECODES:
            raise GoYAMLError(f"document too large: more than {MAX_DECODES} values once aliases expand")

    def through(self, node: Node, walk: Callable[[Node], Any]) -> Any:
        """An alias: its target walked once more, unless it contains the alias itself."""
        if id(node) in self.expanding:
            raise GoYAMLError(f"anchor '{node.value}' value contains itself", node.line)
        self.expanding.add(id(node))
        self.depth += 1
        try:
            return walk(node.target)  # type: ignore[arg-type]
        finally:
            self.depth -= 1
            self.expanding.discard(id(node))

    def child(self, sch: SchemaNode | None, step: str | int) -> SchemaNode | None:
        return None if sch is None or self.schema is None else self.schema.child(sch, step)

    def field_name(self, sch: SchemaNode | None, key: str, folding: bool) -> str | None:
        """The struct field a key sets: as written, else (encoding/json) case-insensitively."""
        props = (sch or {}).get("properties", {})
        if key in props:
            return key
        if folding:
            return next((name for name in props if fold(name) == fold(key)), None)
        return None

    def member_path(
        self, sch: SchemaNode | None, kind: str, path: f.FieldPath, key: str, folding: bool
    ) -> f.FieldPath:
        """The path the decoder gives a member: a field by its name, a map value by its key."""
        if kind == "struct":
            name = self.field_name(sch, key, folding)
            return path.child(name) if name is not None else path.member(key)
        return path.key(key) if kind == "map" else path.member(key)

    def member_schema(self, sch: SchemaNode | None, kind: str, key: str, folding: bool) -> SchemaNode | None:
        if kind == "struct":
            name = self.field_name(sch, key, folding)
            return None if name is None else self.child(sch, name)
        return self.child(sch, "") if kind == "map" else None


NOT_AGAIN, AGAIN_ROOT, AGAIN_INNER = "", "root", "inner"  # where a node is in a re-encoded value


@dataclass
class _Into:
    """A mapping being decoded: its schema, Go kind, path, place in a re-encoded value, and the
    members set so far (by key: a merged key already set is skipped)."""

    sch: SchemaNode | None
    kind: str
    path: f.FieldPath
    again: str
    pairs: list[tuple[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _kind(sch: SchemaNode | None) -> str:
    return "any" if sch is None else go_kind(sch).name


def _dropped_when_null(sch: SchemaNode | None) -> bool:
    """yaml.v3 skips a null element of a Go string, struct, int or bool (not of a pointer, map,
    slice or interface, which it sets to nil)."""
    if sch is None:
        return False
    kind = go_kind(sch)
    return not kind.nullable and kind.name in ("string", "struct", "int", "bool")


class _V3(_Walk):
    """gopkg.in/yaml.v3 decoding into the schema's types with KnownFields (one pass)."""

    def document(self, root: Node) -> Any:
        assert self.schema is not None
        return self.value(root, self.schema.root, f.ROOT, NOT_AGAIN)

    def value(self, node: Node, sch: SchemaNode | None, path: f.FieldPath, again: str) -> Any:
        self.count()
        self.source.nodes.setdefault(path, node)
        if node.kind == "alias":
            return self.through(node, lambda target: self.value(target, sch, path, again))
        if sch is not None and sch.get("x-reencoded") and not again:
            again = AGAIN_ROOT
        kind = _kind(sch)
        if node.kind == "mapping":
            return self.mapping(node, sch, kind, path, again)
        if node.kind == "sequence":
            return self.sequence(node, sch, kind, path, again)
        return self.scalar(node, kind, bool(again))

    def scalar(self, node: Node, kind: str, again: bool) -> Any:
        tag, value = go_value(node, Dialect.V3)
        if value is None:
            return None
        if kind == "string":
            return encoded(value) if again else value if tag == "!!binary" else node.value
        return _plain(value)

    def sequence(self, node: Node, sch: SchemaNode | None, kind: str, path: f.FieldPath, again: str) -> Any:
        if kind not in ("slice", "any") and not again:
            return []  # a list where Go wants something else: the decoder says what it wanted
        if kind not in ("slice", "any"):  # Go's first pass held it in interface{} all the same
            sch, kind = None, "any"
        elem = self.child(sch, 0) if kind == "slice" else None
        inner = AGAIN_INNER if again else NOT_AGAIN
        drops = kind == "slice" and _dropped_when_null(elem)
        items: list[Any] = []
        for i, child in enumerate(node.children):
            if drops and is_null(child, Dialect.V3):
                detail = DROPPED.format(library=Dialect.V3.value)
                self.warnings.append(f.FieldWarning(path.index(i), detail, child.line))
                continue
            items.append(self.value(child, elem, path.index(len(items)), inner))
        return items

    def mapping(self, node: Node, sch: SchemaNode | None, kind: str, path: f.FieldPath, again: str) -> Any:
        if kind not in ("struct", "map", "any") and not again:
            self.repeated(node, sch, kind, path)
            return Pairs(())  # an object where Go wants something else: its keys are not decoded
        if kind not in ("struct", "map", "any"):  # Go's first pass held it in interface{} all the same
            sch, kind = None, "any"
        into = _Into(sch, kind, path, again)
        self.members(node, into)
        return Pairs(into.pairs)

    def members(self, node: Node, into: _Into) -> None:
        """A mapping's own keys (those already set win: they are the merging mapping's), then the
        last `<<` it holds, as decode.go's mapping and merge do."""
        self.repeated(node, into.sch, into.kind, into.path)
        merge: Node | None = None
        children = node.children
        for i in range(0, len(children), 2):
            if is_merge(children[i], Dialect.V3):
                merge = children[i + 1]
            else:
                self.member(children[i], children[i + 1], into)
        if merge is not None:
            self.merge(merge, into)

    def member(self, key_node: Node, value_node: Node, into: _Into) -> None:
        key = self.key(key_node, into.kind, into.path, into.again)
        if key is None or key in into.seen:
            return
        into.seen.add(key)
        where = self.member_path(into.sch, into.kind, into.path, key, False)
        if into.kind == "struct" and not into.again and self.field_name(into.sch, key, False) is None:
            self.source.nodes.setdefault(where, value_node)
            into.pairs.append((key, None))  # KnownFields: an error, and the value is not decoded
            return
        inner = AGAIN_INNER if into.again else NOT_AGAIN
        child = self.member_schema(into.sch, into.kind, key, False)
        into.pairs.append((key, self.value(value_node, child, where, inner)))

    def merge(self, node: Node, into: _Into) -> None:
        sources = node.children if node.kind == "sequence" else [node]
        for source in sources:
            target = source.resolved()
            if target.kind != "mapping":
                raise GoYAMLError("map merge requires map or sequence of maps as the value", node.line)
            if source.kind == "alias":
                self.through(source, lambda t: self.members(t, into))
            else:
                self.members(target, into)

    def key(self, node: Node, kind: str, path: f.FieldPath, again: str) -> str | None:
        """A key decoded into a string (a struct field name, a map[string] key); None: skipped, as
        Go skips a null key and one it cannot decode (that one with a type error). Below the
        re-encoded root, Go first held the mapping in `interface{}`: its keys are Go values there,
        and written back as yaml.v3 writes them."""
        target = node.resolved()
        held = kind == "any" or again == AGAIN_INNER
        if target.kind != "scalar":
            if held:
                raise GoYAMLError(f"invalid map key: a {target.kind}", node.line)
            detail = f"a key must be a string, not a {target.kind}"
            self.errors.append(
                f.FieldError(f.ErrorType.TYPE_INVALID, path, detail, origin="yamlKey", line=node.line)
            )
            return None
        tag, value = go_value(target, Dialect.V3)
        if value is None:
            return None
        if again == AGAIN_INNER and not isinstance(value, str):
            return encoded(value)
        return value if tag == "!!binary" else target.value

    def repeated(self, node: Node, sch: SchemaNode | None, kind: str, path: f.FieldPath) -> None:
        """decode.go's uniqueKeys: two keys of one mapping of the same kind and text (an alias key
        by its anchor's name) are refused, however they would decode."""
        first: dict[tuple[str, str], Node] = {}
        for key in node.children[0::2]:
            mark = (key.kind, key.value)
            if key.kind in ("mapping", "sequence"):
                continue
            if mark in first:
                where = self.member_path(sch, kind, path, key.value, False)
                detail = f"mapping key already defined at line {first[mark].line}"
                self.errors.append(
                    f.FieldError(f.ErrorType.DUPLICATE, where, detail, key.value, "yamlDuplicate", key.line)
                )
            else:
                first[mark] = key


def _plain(value: Any) -> Any:
    """A Go value as the decoded config holds it (a timestamp as Go's RFC 3339 text)."""
    return value.rfc3339nano() if isinstance(value, Timestamp) else value


@dataclass
class _Entry:
    key: Any
    value: Any
    key_node: Node
    value_node: Node


class _GoMap(dict[tuple[str, Any], _Entry]):
    """yaml.v2's map[interface{}]interface{}: keys by Go type and value (true is not 1)."""


class _V2(_Walk):
    """sigs.k8s.io/yaml: yaml.v2 strict into interface{}, then JSON for the schema's types."""

    def document(self, root: Node) -> Any:
        sch = self.schema.root if self.schema is not None else None
        return self.jsonable(self.go(root, sch, f.ROOT), root, sch, f.ROOT)

    def go(self, node: Node, sch: SchemaNode | None, path: f.FieldPath) -> Any:
        """The Go value yaml.v2 decodes into `interface{}` (the schema only names the paths)."""
        self.count()
        if node.kind == "alias":
            return self.through(node, lambda target: self.go(target, sch, path))
        kind = _kind(sch)
        if node.kind == "sequence":
            elem = self.child(sch, 0) if kind == "slice" else None
            return [self.go(child, elem, path.index(i)) for i, child in enumerate(node.children)]
        if node.kind == "mapping":
            out = _GoMap()
            self.fill(node, out, sch, kind, path)
            return out
        return go_value(node, Dialect.V2)[1]

    def fill(self, node: Node, out: _GoMap, sch: SchemaNode | None, kind: str, path: f.FieldPath) -> None:
        children = node.children
        for i in range(0, len(children), 2):
            key_node, value_node = children[i], children[i + 1]
            if is_merge(key_node, Dialect.V2):
                self.merge(value_node, out, sch, kind, path)
                continue
            key = self.go(key_node, None, path)
            if isinstance(key, list | _GoMap):
                raise GoYAMLError(f"invalid map key: a {key_node.resolved().kind}", key_node.line)
            text = _shown_text(key)
            where = self.member_path(sch, kind, path, text, True)
            value = self.go(value_node, self.member_schema(sch, kind, text, True), where)
            self.set(out, _Entry(key, value, key_node, value_node), where)

    def set(self, out: _GoMap, entry: _Entry, where: f.FieldPath) -> None:
        """decode.go's setMapIndex in strict mode: a key already set stays, and is an error."""
        mark = (go_type(entry.key), entry.key)
        if mark in out and not self.strict:
            del out[mark]  # yaml.v2 without strict: the last one wins
        if mark in out:
            detail = f"key already set in map (at line {out[mark].key_node.line})"
            shown = _shown_text(entry.key)
            line = entry.value_node.line
            self.errors.append(
                f.FieldError(f.ErrorType.DUPLICATE, where, detail, shown, "yamlDuplicate", line)
            )
            return
        out[mark] = entry

    def merge(self, node: Node, out: _GoMap, sch: SchemaNode | None, kind: str, path: f.FieldPath) -> None:
        """yaml.v2 merges at the `<<` key's place, the last source first; in strict mode a key
        merged in twice, or also written, is an error."""
        sources = list(reversed(node.children)) if node.kind == "sequence" else [node]
        for source in sources:
            if source.resolved().kind != "mapping":
                raise GoYAMLError("map merge requires map or sequence of maps as the value", node.line)
            if source.kind == "alias":
                self.through(source, lambda target: self.fill(target, out, sch, kind, path))
            else:
                self.fill(source, out, sch, kind, path)

    def jsonable(self, go: Any, node: Node, sch: SchemaNode | None, path: f.FieldPath) -> Any:
        """convertToJSONableObject with the Go type as target, then what json.Marshal writes."""
        self.source.nodes.setdefault(path, node)
        kind = _kind(sch)
        if isinstance(go, _GoMap):
            return self.object(go, sch, kind, path)
        if isinstance(go, list):
            elem = self.child(sch, 0) if kind == "slice" else None
            nodes = _items(node)
            return [self.jsonable(v, nodes[i], elem, path.index(i)) for i, v in enumerate(go)]
        if kind == "string":
            return string_of(go)
        return _json_scalar(go, node)

    def object(self, go: _GoMap, sch: SchemaNode | None, kind: str, path: f.FieldPath) -> Pairs:
        by_text: dict[str, _Entry] = {}
        for entry in go.values():
            text = _key_text(entry.key, entry.key_node)
            if text in by_text:
                both = f"keys {_shown_key(by_text[text].key)} and {_shown_key(entry.key)}"
                detail = f"{both} both read as {text!r}: which one wins is undefined"
                where = self.member_path(sch, kind, path, text, True)
                self.errors.append(
                    f.FieldError(
                        f.ErrorType.DUPLICATE, where, detail, text, "yamlDuplicate", entry.key_node.line
                    )
                )
                continue
            by_text[text] = entry
        pairs = []
        for text in sorted(by_text):
            entry = by_text[text]
            where = self.member_path(sch, kind, path, text, True)
            self.source.nodes.setdefault(path.member(text), entry.value_node)  # as written, if folded
            value = self.jsonable(
                entry.value, entry.value_node, self.member_schema(sch, kind, text, True), where
            )
            pairs.append((text, value))
        return Pairs(pairs)


def _items(node: Node) -> list[Node]:
    return node.resolved().children


def _shown_key(key: Any) -> str:
    return repr(key) if isinstance(key, str) else str(encoded(key))


def _shown_text(key: Any) -> str:
    """A key as text for naming it, even one sigs.k8s.io/yaml will refuse (null)."""
    return key if isinstance(key, str) else str(encoded(key) or "null")


def _key_text(key: Any, node: Node) -> str:
    """sigs.k8s.io/yaml's map key as a JSON key; it refuses a null key and a uint64 one outright."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int) and key <= INT64_MAX:
        return str(key)
    if isinstance(key, float):
        text = format_g(key, 32)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    raise GoYAMLError(f"unsupported map key of type: {go_type(key)}", node.line)


def _json_scalar(go: Any, node: Node) -> Any:
    """A Go value as json.Marshal writes it, read back as gojson reads it."""
    if isinstance(go, float) and not isinstance(go, bool):
        if math.isnan(go) or math.isinf(go):
            raise GoYAMLError(f"json: unsupported value: {format_g(go)}", node.line)
        text = format_json(go)
        return Float(text) if any(c in text for c in ".eE") else int(text)
    return go


def yaml_to_json(text: str) -> Any:
    """sigs.k8s.io/yaml's YAMLToJSON (yaml.v2 not strict, no Go type as target), as gojson reads
    what it writes; raises YAMLSyntaxError or GoYAMLError where it fails."""
    root = compose(text).root
    if root is None:
        return None
    return _V2(None, YamlSource(Dialect.V2), strict=False).document(root)


YAML_V3 = Reading(
    "YAML", lambda text, schema: read_yaml(text, schema, Dialect.V3), strict=True, fold_case=False
)
SIGS_YAML = Reading("YAML", lambda text, schema: read_yaml(text, schema, Dialect.V2), strict=True)
