"""`node-agent-webhook validate`: the webhook's verdict, offline, for CI pipelines.

Exit 0 when every input is allowed, 1 when any is denied, 2 on a usage or read error. The strings
printed are the ones the webhook would send: errors as in the denial, warnings as limited for kubectl.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any

from webhook.cli import common
from webhook.cli.sources import Source, SourceError, label_of, sources
from webhook.engine import (
    DEFAULT_KIND,
    ClusterView,
    Options,
    Targeting,
    Verdict,
    describe,
    evaluate_config,
    evaluate_configmap,
    target_version,
)
from webhook.inventory import InventoryError, fetch_configmap

ALLOWED, DENIED, USAGE = 0, 1, 2


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "validate", help="check ConfigMaps or configs; exit 1 if any is denied", description=__doc__
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="ConfigMap manifests (YAML/JSON, several documents or a List) or bare config "
        "JSON files; - reads stdin. With -n: ConfigMap names in the cluster",
    )
    parser.add_argument(
        "-n", "--namespace", help="read the named ConfigMaps from this namespace of the cluster"
    )
    common.add_cluster_args(parser)
    common.add_field_validation(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        found = inputs(args.namespace, args.paths, args)
        cluster = common.cluster_view(args, (args.namespace,) if args.namespace else ())
    except (SourceError, InventoryError) as exc:
        print(f"node-agent-webhook validate: {exc}", file=sys.stderr)
        return USAGE
    results = [_check(source, cluster, args) for source in found]
    _print(results, args.output)
    return DENIED if any(not verdict.allowed for _, verdict in results) else ALLOWED


def inputs(namespace: str | None, paths: list[str], args: argparse.Namespace) -> list[Source]:
    """Files (or stdin), or with a namespace the named ConfigMaps read from the cluster."""
    if not namespace:
        return [s for path in paths for s in sources(path)]
    if not (args.kubeconfig or args.in_cluster):
        raise SourceError("-n NAMESPACE reads ConfigMaps from a cluster: give --kubeconfig or --in-cluster")
    fetched = [fetch_configmap(args.kubeconfig, namespace, name) for name in paths]
    return [Source(label_of("cluster", cm), configmap=cm) for cm in fetched]


def options_for(args: argparse.Namespace, cluster: ClusterView, cm: Mapping[str, Any] | None) -> Options:
    namespace = ((cm or {}).get("metadata") or {}).get("namespace", args.namespace or "")
    version = target_version(Targeting(velero_version=args.velero_version), DEFAULT_KIND, cluster, namespace)
    return Options(velero_version=version, field_validation=common.field_validation(args))


def _check(source: Source, cluster: ClusterView, args: argparse.Namespace) -> tuple[Source, Verdict]:
    options = options_for(args, cluster, source.configmap)
    if source.configmap is not None:
        return source, evaluate_configmap(source.configmap, DEFAULT_KIND, cluster, options)
    return source, evaluate_config(source.text or "", DEFAULT_KIND, cluster, options)


def as_json(source: Source, verdict: Verdict) -> dict[str, Any]:
    return {
        "source": source.label,
        "allowed": verdict.allowed,
        "errors": verdict.error_strings,
        "warnings": verdict.warning_strings,
    }


def _print(results: list[tuple[Source, Verdict]], output: str) -> None:
    if output == "json":
        print(json.dumps([as_json(s, v) for s, v in results], indent=2, ensure_ascii=False))
        return
    for source, verdict in results:
        state = "allowed" if verdict.allowed else "denied"
        print(f"{source.label}: {state} (Velero {describe(verdict.velero_version)})")
        for err in verdict.error_strings:
            print(f"  error: {err}")
        for warning in verdict.warning_strings:
            print(f"  warning: {warning}")
