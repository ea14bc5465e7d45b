"""`node-agent-webhook explain`: the load concurrency each node's node-agent will use, and why."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from webhook.cli import common
from webhook.cli.sources import Source, SourceError
from webhook.cli.validate import DENIED, USAGE, inputs, options_for
from webhook.engine import DEFAULT_KIND, Verdict, evaluate_config, evaluate_configmap
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
        return evaluate_configmap(source.configmap, DEFAULT_KIND, cluster, options)
    return evaluate_config(source.text or "", DEFAULT_KIND, cluster, options)


def _print(verdict: Verdict, output: str) -> None:
    effect = verdict.effect
    if effect is None:
        return
    if output == "json":
        print(json.dumps(effect.as_json(), indent=2))
        return
    rows = effect.rows()
    if not rows:
        print(effect.empty())
        return
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(effect.columns())]
    print("  ".join(f"{c:<{w}}" for c, w in zip(effect.columns(), widths, strict=True)).rstrip())
    for row in rows:
        cells = [
            f"{v:>{w}}" if isinstance(v, int) else f"{v!s:<{w}}" for v, w in zip(row, widths, strict=True)
        ]
        print("  ".join(cells).rstrip())
