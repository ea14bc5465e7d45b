"""The floor: the real `serve` stack (uvicorn, uvloop, httptools, TLS, FastAPI, the review's
parsing and checks, metrics, the log line) answering every review "allowed" without the engine.

Bench-only, so the production code has no switch for it: the same composition root is handed a
trivial `decide`. `python -m bench.floor_server <serve flags>` takes exactly the flags of `serve`.
"""

from __future__ import annotations

import argparse
import sys

from webhook.admission import Lifecycle, create_app, serve
from webhook.admission.logs import configure_logging
from webhook.cli import serve as serve_cli
from webhook.engine.cluster import ClusterView
from webhook.engine.policy import Decision, Request, Targeting

ALLOWED = Decision(applies=True)


def allow(request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    return ALLOWED


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="floor_server")
    serve_cli.add_parser(parser.add_subparsers())
    args = parser.parse_args(["serve", *argv])
    settings = serve_cli.settings_from_args(args)
    configure_logging(settings.log_format)
    context, certs = serve_cli.build_tls(settings)
    inventory = serve_cli.build_inventory(settings)
    lifecycle = Lifecycle()
    app = create_app(settings, inventory, certs, lifecycle=lifecycle, decide=allow)
    serve(app, settings, context, lifecycle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
