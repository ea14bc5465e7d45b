"""`node-agent-webhook serve`: the admission webhook over HTTPS.

Flags become one frozen `Settings`; everything that can be checked before listening is checked here
(the certificate pair, the client CA, the nodes file or kubeconfig), so a misconfiguration ends the
process with a message and exit code 2 instead of a server that fails every handshake.

FastAPI, uvicorn, the kubernetes client and cryptography are imported when the server is built, not
when the command line is parsed: `validate` and `--help` share this parser and must start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from webhook.cli.options import add_field_validation, add_kind_names, names_by_kind
from webhook.cli.velero_version import velero_version
from webhook.engine import Targeting
from webhook.inventory import InventoryError

if TYPE_CHECKING:
    import ssl

    from webhook.admission import InventoryLike, Settings
    from webhook.certs import CertificateSource

CONFIG_ERROR = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the validating admission webhook (HTTPS)",
        description="Serve AdmissionReviews on POST /validate, with /healthz, /readyz and /metrics.",
    )
    _tls_args(parser)
    _cluster_args(parser)
    _policy_args(parser)
    _timing_args(parser)
    parser.add_argument("--log-format", choices=("json", "text"), default="json", help="default json")
    parser.set_defaults(func=run)
    return parser


def _tls_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tls-cert",
        type=Path,
        required=True,
        metavar="FILE",
        help="serving certificate (PEM, chain allowed); reloaded when it changes",
    )
    parser.add_argument("--tls-key", type=Path, required=True, metavar="FILE", help="its private key (PEM)")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8443, help="default 8443; 0 picks a free port")
    parser.add_argument("--tls-min-version", choices=("1.2", "1.3"), default="1.2", help="default 1.2")
    parser.add_argument(
        "--client-ca",
        type=Path,
        metavar="FILE",
        help="require a client certificate from this CA (the apiserver's, see "
        "--admission-control-config-file)",
    )
    parser.add_argument(
        "--cert-poll-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how often to check --tls-cert/--tls-key for a change (default 5)",
    )


def _timing_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shutdown-delay",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="after SIGTERM, keep answering while not ready for this long (default 5)",
    )
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="close a connection whose TLS handshake or request headers take longer (default 10)",
    )
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="answer 408 to a request whose body is not all in this long after its headers (default 10)",
    )


def _cluster_args(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--nodes-file",
        type=Path,
        metavar="FILE",
        help="decide against the nodes in this file (`kubectl get nodes -o json`) instead of a live cluster",
    )
    source.add_argument(
        "--kubeconfig",
        type=Path,
        metavar="FILE",
        help="watch the cluster of this kubeconfig (default: in-cluster service account)",
    )


def _policy_args(parser: argparse.ArgumentParser) -> None:
    add_kind_names(parser, "the webhook checks")
    parser.add_argument(
        "--namespace",
        action="append",
        metavar="NS",
        help="check only in this namespace; repeatable (default: every namespace sent)",
    )
    parser.add_argument(
        "--velero-version",
        type=velero_version,
        metavar="X.Y.Z",
        help="the Velero to check for (default: the image tag of the Velero workload that reads the "
        "config, else the newest release)",
    )
    add_field_validation(parser)


def settings_from_args(args: argparse.Namespace) -> Settings:
    from webhook.admission import Settings

    targeting = Targeting(
        names=names_by_kind(args.configmap_name),
        namespaces=frozenset(args.namespace) if args.namespace else None,
        velero_version=args.velero_version,
        field_validation=args.field_validation,
    )
    return Settings(
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        host=args.host,
        port=args.port,
        nodes_file=args.nodes_file,
        kubeconfig=args.kubeconfig,
        targeting=targeting,
        tls_min_version=args.tls_min_version,
        client_ca=args.client_ca,
        shutdown_delay=args.shutdown_delay,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        log_format=args.log_format,
        cert_poll_interval=args.cert_poll_interval,
    )


def run(args: argparse.Namespace) -> int:
    import logging
    import ssl

    from webhook.admission import Lifecycle, configure_logging, create_app, serve
    from webhook.certs import CertificateError

    settings = settings_from_args(args)
    configure_logging(settings.log_format)
    try:
        context, certs = build_tls(settings)
        inventory = build_inventory(settings)
    except (CertificateError, InventoryError, ssl.SSLError, OSError) as e:
        print(f"node-agent-webhook serve: {e}", file=sys.stderr)
        return CONFIG_ERROR
    lifecycle = Lifecycle()
    serve(create_app(settings, inventory, certs, lifecycle=lifecycle), settings, context, lifecycle)
    logging.getLogger("webhook.cli.serve").info("stopped")
    return 0


def build_tls(settings: Settings) -> tuple[ssl.SSLContext, CertificateSource]:
    """The server context with the certificate loaded: a bad pair or client CA fails here, loudly."""
    from webhook.certs import CertificateSource, TLSVersion, server_context

    context = server_context(TLSVersion(settings.tls_min_version), settings.client_ca)
    certs = CertificateSource(context, settings.tls_cert, settings.tls_key, settings.cert_poll_interval)
    certs.load()
    return context, certs


def build_inventory(settings: Settings) -> InventoryLike:
    from webhook.inventory import LiveInventory, StaticInventory, load_cluster_file

    if settings.nodes_file is not None:
        return StaticInventory(load_cluster_file(settings.nodes_file))
    return LiveInventory(settings.kubeconfig, sorted(settings.targeting.namespaces or ()))
