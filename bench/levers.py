"""What each optimization buys, each measured alone (docs/performance.md, "Levers").

In this process: JSON parsing and serializing (json vs orjson), the JSON Schema (jsonschema vs
jsonschema-rs, validator built per call vs once), the engine's per-process memos (switched off by
putting the undecorated functions back, in this process only), and a full garbage collection with
and without `gc.freeze()`. In server processes: uvloop and httptools against asyncio and h11.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import orjson

from bench import processes, server
from bench.configs import admission_review, configmap, large_config, sample_configmap
from bench.engine import decider, time_us
from webhook.engine.core import predicates, selectors
from webhook.engine.core.decode import decode as decode_config
from webhook.engine.core.gojson import loads as go_loads
from webhook.engine.nodeagent.schema import SCHEMA

Row = dict[str, Any]


RUN_SECONDS = 0.5  # at most, per run of one lever: the slow variants get fewer calls


def median_us(call: Callable[[], object], iterations: int, runs: int = 5) -> float:
    estimate = max(time_us(call, 1), 1.0)
    calls = max(3, min(iterations, int(RUN_SECONDS * 1e6 / estimate)))
    time_us(call, max(1, calls // 10))  # warm-up
    return round(statistics.median(time_us(call, calls) for _ in range(runs)), 2)


def json_rows(iterations: int) -> list[Row]:
    body = orjson.dumps(admission_review(sample_configmap()))
    response = {"uid": "u", "allowed": True, "warnings": ["w" * 120] * 2}
    answer = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}
    parse = (
        median_us(lambda: json.loads(body), iterations),
        median_us(lambda: orjson.loads(body), iterations),
    )
    dump = (
        median_us(lambda: json.dumps(answer).encode(), iterations),
        median_us(lambda: orjson.dumps(answer), iterations),
    )
    return [
        row("parse the AdmissionReview", *parse, "json -> orjson"),
        row("serialize the response", *dump, "json -> orjson"),
    ]


def _decoded(config_text: str) -> Any:
    return decode_config(go_loads(config_text), SCHEMA).doc


def row(lever: str, without: float, with_: float, what: str) -> Row:
    return {"lever": lever, "without": without, "with": with_, "what": what}


def schema_rows(iterations: int) -> list[Row]:
    rows = []
    for name, cm in (("sample", sample_configmap()), ("large", configmap(large_config()))):
        rows += _schema_rows(name, _decoded(cm["data"]["node-agent-config"]), iterations)
    return rows


def _schema_rows(name: str, doc: Any, iterations: int) -> list[Row]:
    loaded = dict(SCHEMA.document)
    py_once = jsonschema.Draft202012Validator(loaded)
    rs_once = jsonschema_rs.validator_for(loaded)

    def py_built() -> object:
        return list(jsonschema.Draft202012Validator(loaded).iter_errors(doc))

    def rs_built() -> object:
        return list(jsonschema_rs.validator_for(loaded).iter_errors(doc))

    py = median_us(lambda: list(py_once.iter_errors(doc)), iterations)
    rs = median_us(lambda: list(rs_once.iter_errors(doc)), iterations)
    return [
        row(
            f"schema ({name}): jsonschema built once", median_us(py_built, iterations), py, "per call -> once"
        ),
        row(
            f"schema ({name}): jsonschema-rs built once",
            median_us(rs_built, iterations),
            rs,
            "per call -> once",
        ),
        row(f"schema ({name}): jsonschema-rs", py, rs, "jsonschema -> jsonschema-rs, both built once"),
    ]


@contextmanager
def unwrapped(*functions: Callable[..., Any]) -> Iterator[None]:
    """Put the undecorated functions back wherever the engine imported them (this process only)."""
    swapped = []
    for module in [m for name, m in sys.modules.items() if name.startswith("webhook.engine")]:
        for attr, value in list(vars(module).items()):
            if any(value is fn for fn in functions):
                swapped.append((module, attr, value))
                setattr(module, attr, value.__wrapped__)
    try:
        yield
    finally:
        for module, attr, value in swapped:
            setattr(module, attr, value)


MEMOS = {
    "label checks once per text": (
        predicates.is_qualified_name,
        predicates.is_label_value,
        predicates.is_dns1123_subdomain,
    ),
}


def memo_rows(iterations: int) -> list[Row]:
    call = decider("sample", 10_000, False)
    rows = []
    for lever, functions in MEMOS.items():
        with unwrapped(*functions):
            without = median_us(call, iterations)
        rows.append(row(lever, without, median_us(call, iterations), "engine review, sample, 10,000 nodes"))
    return rows


def _seed_positive(req: selectors.Requirement, index: Any) -> Any:
    if req.op == "in":
        if len(req.values) == 1:
            return index.with_label(req.key, next(iter(req.values)))
        return set().union(*(index.with_label(req.key, v) for v in req.values))
    return index.with_key(req.key) if req.op in ("exists", "gt", "lt") else None


def scan_matching(selector: selectors.Selector, index: Any) -> Iterator[str]:
    """The seed's `matching`, for comparison: the candidates of the most selective requirement the
    index answers, each then tested against every requirement by reading its labels in Python."""
    best = None
    for req in selector.requirements:
        found = _seed_positive(req, index)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    for name in index.names() if best is None else best:
        if selector.matches(index.labels(name)):
            yield name


@contextmanager
def replaced(function: Callable[..., Any], by: Callable[..., Any]) -> Iterator[None]:
    """`function` replaced by `by` wherever the engine imported it (this process only)."""
    swapped = []
    for module in [m for name, m in sys.modules.items() if name.startswith("webhook.engine")]:
        for attr, value in list(vars(module).items()):
            if value is function:
                swapped.append((module, attr, value))
                setattr(module, attr, by)
    try:
        yield
    finally:
        for module, attr, value in swapped:
            setattr(module, attr, value)


def selector_rows(iterations: int) -> list[Row]:
    rows = []
    for name, disjoint, what in (
        ("sample", True, "sample, no node in both rules"),
        ("large", False, "large"),
    ):
        call = decider(name, 10_000, disjoint)
        with replaced(selectors.matching, scan_matching):
            without = median_us(call, iterations)
        rows.append(
            row(
                "selectors through the index in C",
                without,
                median_us(call, iterations),
                f"review, {what}, 10,000 nodes",
            )
        )
    return rows


def gc_rows() -> list[Row]:
    """A full collection in a process holding the server's modules and a 10,000-node index."""
    import webhook.cli.main  # noqa: F401  (everything `serve` imports)

    keep = decider("sample", 10_000, False)
    gc.collect()
    started = time.perf_counter()
    gc.collect()
    without = (time.perf_counter() - started) * 1e6
    gc.freeze()
    started = time.perf_counter()
    gc.collect()
    with_ = (time.perf_counter() - started) * 1e6
    gc.unfreeze()
    del keep
    return [
        {
            "lever": "full collection, server process",
            "without": round(without),
            "with": round(with_, 1),
            "what": "gc.freeze() at start",
        }
    ]


def stack_rows(work: Path, seconds: int) -> list[Row]:
    """The validating server under wrk with each loop and HTTP parser: CPU time per request."""
    files = server.prepare(work, 10_000)
    rows = []
    for loop, http in (
        ("uvloop", "httptools"),
        ("asyncio", "httptools"),
        ("uvloop", "h11"),
        ("asyncio", "h11"),
    ):
        command = [processes.python(), "-m", "bench.stack_server", "--loop", loop, "--http", http]
        with processes.server(
            [*command, *server.serve_flags(files)], work / f"{loop}-{http}.log", files.ca
        ) as srv:
            server.wrk(srv.port, files, 2)
            run = server.closed_run(srv, files, seconds)
        rows.append(
            {
                "lever": f"{loop} + {http}",
                "rps": round(run["rps"]),
                "cpu_us_per_request": round(run["cpu_us_per_request"]),
                "p99_ms": run["p99_us"] / 1000,
            }
        )
    return rows


def measure(iterations: int, seconds: int, work: Path) -> dict[str, list[Row]]:
    return {
        "in_process_us": [
            *json_rows(iterations),
            *schema_rows(iterations),
            *memo_rows(iterations),
            *selector_rows(iterations),
            *gc_rows(),
        ],
        "server": stack_rows(work, seconds),
    }
