"""`node-agent-webhook explain`: the load concurrency each node's node-agent will use, and why."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from webhook.cli import common
from webhook.cli.sources import Source, SourceError
from webhook.cli.validate import DENIED, USAGE, inputs, options_for
from webhook.engine.evaluate import evaluate_config, evaluate_configmap
from webhook.engine.verdict import NodeConcurrency, Verdict
from webhook.engine.versions import describe
from webhook.inventory import InventoryError


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "explain", help="per node: the concurrency node-agent will use, and why", description=__doc__
    )
    parser.add_argument(
        "path",
        metavar="PATH",
        help="one ConfigMap manifest or bare config; - reads stdin. With -n: a ConfigMap name",
    )
    parser.add_argument(
        "-n", "--namespace", help="read the named ConfigMap from this namespace of the cluster"
    )
    common.add_cluster_args(parser, nodes_required=True)
    parser.set_defaults(func=run, field_validation="Strict")


def run(args: argparse.Namespace) -> int:
    try:
        found = inputs(args.namespace, [args.path], args)
        cluster = common.cluster_view(args, (args.namespace,) if args.namespace else ())
    except (SourceError, InventoryError) as exc:
        print(f"node-agent-webhook explain: {exc}", file=sys.stderr)
        return USAGE
    if len(found) != 1:
        print(
            f"node-agent-webhook explain: {args.path} holds {len(found)} ConfigMaps; give one",
            file=sys.stderr,
        )
        return USAGE
    verdict = _verdict(found[0], cluster, args)
    _print(verdict, args.output)
    for err in verdict.error_strings:
        print(f"error: {err}", file=sys.stderr)
    return 0 if verdict.allowed else DENIED


def _verdict(source: Source, cluster: Any, args: argparse.Namespace) -> Verdict:
    options = options_for(args, cluster, source.configmap)
    if source.configmap is not None:
        return evaluate_configmap(source.configmap, cluster, options)
    return evaluate_config(source.text or "", cluster, options)


def _why(row: NodeConcurrency) -> str:
    return f"perNodeConfig[{row.rule}]" if row.rule is not None else "global"


def _print(verdict: Verdict, output: str) -> None:
    rows = verdict.concurrency
    if output == "json":
        nodes = [{"name": r.node, "concurrency": r.concurrency, "rule": r.rule} for r in rows]
        print(json.dumps({"nodes": nodes}, indent=2))
        return
    if not rows:
        print(
            f"no node-agent will start with this config (Velero {describe(verdict.velero_version)})"
            if not verdict.allowed
            else "no nodes in the inventory"
        )
        return
    width = max(len("NODE"), *(len(r.node) for r in rows))
    print(f"{'NODE':<{width}}  CONCURRENCY  FROM")
    for row in rows:
        print(f"{row.node:<{width}}  {row.concurrency:>11}  {_why(row)}")
