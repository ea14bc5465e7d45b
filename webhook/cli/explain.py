"""`node-agent-webhook explain`: the load concurrency each node's node-agent will use, and why.

Takes what `validate` takes; one table per node-agent config. The nodes come from --nodes FILE, else
from the cluster (the kubeconfig found as kubectl finds it): without them there is nothing to explain.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from webhook.cli import options, runner
from webhook.cli.render import Style, json_list
from webhook.cli.render import text as text_out
from webhook.cli.results import Outcome, Result, exit_code
from webhook.engine.cluster import ClusterView
from webhook.engine.verdict import NodeConcurrency


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "explain",
        help="per node: the concurrency node-agent will use, and why",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_all(parser, ("text", "json"))
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    results, cluster = runner.results(args, needs_nodes=True)
    results = [_needs_nodes(r, cluster) for r in results]
    style = Style(args.quiet, args.warnings_as_errors, "explain")
    sys.stdout.write(render_json(results) if args.output == "json" else render_text(results, style))
    return exit_code(results, args.warnings_as_errors)


def _needs_nodes(result: Result, cluster: ClusterView) -> Result:
    if result.verdict is None or cluster.nodes is not None:
        return result
    why = cluster.unavailable or "the --nodes file lists no Node"
    return replace(result, outcome=Outcome.ERROR, verdict=None, reason=f"nodes unknown: {why}")


def _why(row: NodeConcurrency) -> str:
    return f"perNodeConfig[{row.rule}]" if row.rule is not None else "global"


def table(rows: Sequence[NodeConcurrency]) -> Iterator[str]:
    width = max(len("NODE"), *(len(r.node) for r in rows))
    yield f"{'NODE':<{width}}  CONCURRENCY  FROM"
    yield from (f"{r.node:<{width}}  {r.concurrency:>11}  {_why(r)}" for r in rows)


def lines(result: Result) -> Iterator[str]:
    yield from text_out.lines(result)
    if result.verdict is None:
        return
    rows = result.verdict.concurrency
    if rows:
        yield from table(rows)
    elif result.outcome is Outcome.DENIED:
        yield "  no node-agent will start with this config"
    else:
        yield "  no nodes in the cluster"


def render_text(results: Sequence[Result], style: Style) -> str:
    return "".join(f"{line}\n" for r in results if text_out.shown(r, style) for line in lines(r))


def render_json(results: Sequence[Result]) -> str:
    entries = [{**json_list.entry(r), "nodes": _nodes(r)} for r in results]
    return json_list.dump(entries)


def _nodes(result: Result) -> list[dict[str, Any]]:
    rows = result.verdict.concurrency if result.verdict is not None else []
    return [{"name": r.node, "concurrency": r.concurrency, "rule": r.rule} for r in rows]
