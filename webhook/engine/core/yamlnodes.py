"""The node graph of a YAML text, as go-yaml's parser builds it, with the line of every node.

Velero decodes its YAML configs with go-yaml (yaml.v3, and yaml.v2 inside sigs.k8s.io/yaml), a
Go port of libyaml. PyYAML's event stream (libyaml itself when PyYAML is built with it) gives the
same syntax, every scalar's style and tag and every mapping pair, duplicates included; composing
the nodes here rather than with PyYAML's composer keeps go-yaml's rules where they differ: an
anchor may be defined again (the later one counts), an alias may name an enclosing node (Go then
refuses to decode it), and only the first document is read (Velero drops the others silently, so
they are only counted). Resolving scalars to Go values is the job of webhook.engine.core.goyaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml when PyYAML has it: go-yaml is a port of it, so errors read the same
_EVENTS: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 100  # go-yaml allows 10,000; the engine walks nodes recursively (see `YAMLSyntaxError`)
LONG_TAG = "tag:yaml.org,2002:"


@dataclass(eq=False, slots=True)
class Node:
    """A scalar, sequence, mapping (children: key, value, key, value, ...) or alias (`target`)."""

    kind: str  # "scalar", "sequence", "mapping", "alias"
    line: int  # 1-based, as go-yaml counts
    column: int
    tag: str = ""  # "!!str" for a YAML tag, "!foo" as written, "!" non-specific, "" none
    value: str = ""  # a scalar's text; an alias's anchor name
    style: str = ""  # a scalar's: "" plain, "'", '"', "|", ">"
    children: list[Node] = field(default_factory=list)
    target: Node | None = None  # what an alias names

    @property
    def plain(self) -> bool:
        return self.kind == "scalar" and self.style == ""

    def resolved(self) -> Node:
        """An alias's target (which is never itself an alias); any other node as it is."""
        return self.target if self.kind == "alias" and self.target is not None else self


class YAMLSyntaxError(ValueError):
    """The text is not YAML go-yaml reads: `line` (1-based, 0 when unknown) and libyaml's words."""

    def __init__(self, problem: str, line: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


@dataclass(frozen=True, slots=True)
class Stream:
    """The first document's root (None: the stream holds no document), and what follows it."""

    root: Node | None
    documents: int  # how many documents the stream holds (at least, when a later one is broken)
    second_line: int = 0  # where the second document starts
    rest_error: str = ""  # the syntax error in what follows the first document, if any
    rest_holds: bool = False  # a later document holds a value (not only `---` or comments)


def _short_tag(tag: str | None) -> str:
    if not tag:
        return ""
    return "!!" + tag[len(LONG_TAG) :] if tag.startswith(LONG_TAG) else tag


class _Composer:
    def __init__(self, text: str) -> None:
        self.events = _EVENTS(text)
        self.anchors: dict[str, Node] = {}
        self.stack: list[Node] = []
        self.root: Node | None = None

    def node(self, event: Any, kind: str) -> Node:
        mark = event.start_mark
        node = Node(kind, mark.line + 1, mark.column + 1, _short_tag(getattr(event, "tag", None)))
        if event.anchor is not None and kind != "alias":
            self.anchors[event.anchor] = node  # before its children: an alias inside may name it
        return node

    def add(self, node: Node) -> None:
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node

    def open(self, node: Node) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YAMLSyntaxError(f"nested more than {MAX_DEPTH} levels deep", node.line)
        self.add(node)
        self.stack.append(node)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self.open(self.node(event, "sequence"))
        elif isinstance(event, yaml.MappingStartEvent):
            self.open(self.node(event, "mapping"))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            self.stack.pop()

    def scalar(self, event: Any) -> None:  # PyYAML's stubs make every event attribute optional
        node = self.node(event, "scalar")
        node.value, node.style = event.value, event.style or ""
        self.add(node)

    def alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise YAMLSyntaxError(f"unknown anchor '{event.anchor}' referenced", _start(event))
        node = self.node(event, "alias")
        node.value, node.target = event.anchor, target
        self.add(node)


def _start(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _line(exc: yaml.YAMLError) -> int:
    mark: Any = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 0


def _problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if isinstance(exc, yaml.reader.ReaderError):
        return "control characters are not allowed"
    return str(problem) if problem else str(exc).splitlines()[0]


def compose(text: str) -> Stream:
    """The first document's nodes; raises YAMLSyntaxError where go-yaml would not read it."""
    try:
        composer = _Composer(text)
        root, first = _first_document(composer)
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(_problem(exc), _line(exc)) from None
    except UnicodeEncodeError:  # a lone surrogate: the bytes Go would read are not UTF-8
        raise YAMLSyntaxError("invalid leading UTF-8 octet") from None
    if not first:
        return Stream(None, 0)
    return _rest(composer.events, root)


def _first_document(composer: _Composer) -> tuple[Node | None, bool]:
    events = composer.events
    while events.check_event():
        event = events.get_event()
        if isinstance(event, yaml.DocumentEndEvent):
            return composer.root, True
        composer.feed(event)
    return None, False


def _rest(events: Any, root: Node | None) -> Stream:
    """Counts the documents after the first; a syntax error there does not stop Velero, which
    never reads that far, so it is only noted."""
    documents, second, holds = 1, 0, False
    try:
        while events.check_event():
            event: Any = events.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                second = second or _start(event)
            holds = holds or _holds(event)
    except yaml.YAMLError as exc:
        return Stream(root, max(documents, 2), second or _line(exc), _problem(exc), True)
    return Stream(root, documents, second, "", holds)


def _holds(event: Any) -> bool:
    """A node event that writes something: an empty document is an empty plain scalar."""
    if isinstance(event, yaml.ScalarEvent):
        return bool(event.value or event.style or event.tag or event.anchor)
    return isinstance(event, yaml.AliasEvent | yaml.SequenceStartEvent | yaml.MappingStartEvent)
