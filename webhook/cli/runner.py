"""One run of `validate` or `explain`: inputs read, the cluster facts gathered once, every document
checked, one result each. Nothing stops the run early: an unreadable file, a broken manifest or a
cluster that cannot be reached become results, so every output format has every input in it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from webhook.cli import cluster
from webhook.cli.check import Checking, check
from webhook.cli.manifests import Document, documents
from webhook.cli.options import names_by_kind
from webhook.cli.reading import inputs
from webhook.cli.results import Outcome, Result
from webhook.cli.velero_version import is_newer, newer_note, refusal
from webhook.engine import DEFAULT_KIND, NO_CLUSTER, ClusterView, Targeting
from webhook.inventory import InventoryError

if TYPE_CHECKING:
    from webhook.inventory import OneShotCluster


def results(args: argparse.Namespace, needs_nodes: bool = False) -> tuple[list[Result], ClusterView]:
    """Every document's result, and the cluster facts they were checked against. Exits 2 through
    argparse on a usage error (a --velero-version the tool cannot check)."""
    problem = refusal(args.velero_version, args.allow_newer_version)
    if problem is not None:
        args.parser.error(problem)
    found = [] if args.namespace else _files(args)
    try:
        with _live(args, needs_nodes) as live:
            if live is not None and args.namespace:
                found = [_fetched(live, args.namespace, name) for name in args.paths]
            view = cluster.view(args, live, _namespaces(args, found))
    except cluster.ClusterUnavailableError as exc:
        return [_unchecked(doc, str(exc)) for doc in found or _named(args)], NO_CLUSTER
    checking = Checking(_targeting(args), view, args.namespace, args.kind)
    checked = [result for doc in found for result in check(doc, checking)]
    _say_newer(checked)
    return checked, view


@contextmanager
def _live(args: argparse.Namespace, needs_nodes: bool) -> Iterator[OneShotCluster | None]:
    if not cluster.live_wanted(args, needs_nodes):
        yield None
        return
    live = cluster.connect(args)
    try:
        yield live
    finally:
        live.close()


def _files(args: argparse.Namespace) -> list[Document]:
    return [doc for item in inputs(args.paths, sys.stdin) for doc in documents(item, args.manifests_only)]


def _fetched(live: OneShotCluster, namespace: str, name: str) -> Document:
    try:
        return Document("cluster", obj=live.configmap(namespace, name))
    except InventoryError as exc:
        return Document("cluster", problem=str(exc))


def _named(args: argparse.Namespace) -> list[Document]:
    """With -n and no cluster to read from: one document per name asked for."""
    return [
        Document("cluster", obj={"kind": "ConfigMap", "metadata": {"name": n, "namespace": args.namespace}})
        for n in args.paths
    ]


def _unchecked(doc: Document, problem: str) -> Result:
    return Result(doc, Outcome.ERROR, reason=doc.problem or problem)


def _namespaces(args: argparse.Namespace, found: list[Document]) -> set[str]:
    """Where to look for Velero's objects: -n, else the ConfigMaps' namespaces if all name one."""
    if args.namespace:
        return {args.namespace}
    configmaps = [doc for doc in found if doc.kind == "ConfigMap" or doc.text is not None]
    spaces = {doc.namespace for doc in configmaps}
    return set() if None in spaces else {ns for ns in spaces if ns is not None}


def _targeting(args: argparse.Namespace) -> Targeting:
    names = dict(names_by_kind(args.configmap_name))
    if args.namespace and args.kind is None:
        # named on the command line: checked whatever their name, as node-agent configs by default
        names[DEFAULT_KIND.name] = names.get(DEFAULT_KIND.name, frozenset()) | set(args.paths)
    return Targeting(names=names, velero_version=args.velero_version, field_validation=args.field_validation)


def _say_newer(checked: list[Result]) -> None:
    versions = {r.version.version.minor_text: r.version.version for r in checked if r.version is not None}
    for version in versions.values():
        if is_newer(version):
            print(f"node-agent-webhook: {newer_note(version)}", file=sys.stderr)
