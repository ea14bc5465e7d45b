"""The `serve` stack with bench-only switches, so that production code has none.

`python -m bench.stack_server [--floor] [--loop uvloop|asyncio] [--http httptools|h11] <serve flags>`
takes exactly the flags of `serve` after its own. `--floor` answers every review "allowed" without
the engine: uvicorn, the event loop, the HTTP parser, TLS, FastAPI, the review's parsing and checks,
metrics and the log line all still run, which is what the stack itself costs. `--loop` and `--http`
replace uvloop and httptools, to measure what each of them buys.
"""

from __future__ import annotations

import argparse
import sys

from webhook.admission import Lifecycle, create_app
from webhook.admission.review.admit import by_operation
from webhook.admission.serving.logs import configure_logging
from webhook.admission.serving.server import DrainingServer, build_config
from webhook.cli import serve as serve_cli
from webhook.engine import DEFAULT_KIND, NEWEST_RELEASE, ClusterView, Decision, Request, Role, Targeting

ALLOWED = Decision((Role(DEFAULT_KIND, NEWEST_RELEASE, ()),))


def allow(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    return ALLOWED


def switches(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m bench.stack_server")
    parser.add_argument("--floor", action="store_true", help="answer allowed without the engine")
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument("--http", choices=("httptools", "h11"), default="httptools")
    return parser.parse_known_args(argv)


def main(argv: list[str]) -> int:
    own, rest = switches(argv)
    parser = argparse.ArgumentParser(prog="stack_server")
    serve_cli.add_parser(parser.add_subparsers())
    settings = serve_cli.settings_from_args(parser.parse_args(["serve", *rest]))
    configure_logging(settings.log_format)
    context, certs = serve_cli.build_tls(settings)
    inventory = serve_cli.build_inventory(settings)
    lifecycle = Lifecycle()
    decide = allow if own.floor else by_operation
    app = create_app(settings, inventory, certs, lifecycle=lifecycle, decide=decide)
    config = build_config(app, settings, context)
    config.loop, config.http = own.loop, own.http
    DrainingServer(config, lifecycle, settings.shutdown_delay).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
