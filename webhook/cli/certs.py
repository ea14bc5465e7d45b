"""`node-agent-webhook certs`: a development CA and serving certificate, written to a directory.

`ca.crt` goes into the webhook configuration's `caBundle` (or curl's --cacert); `tls.crt` and
`tls.key` go to `serve`. The CA's key is not written: to get a new serving certificate, generate a
new set with --force. Existing files are never replaced without --force.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # cryptography is imported when certificates are made, not when --help is read
    from webhook.certs import Issued, Output

EXISTS = 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "certs",
        help="generate a development CA and serving certificate",
        description="Write ca.crt, tls.crt and tls.key (mode 0600) for `serve`. For development and tests; "
        "use cert-manager in production.",
    )
    parser.add_argument("--out-dir", type=Path, default=Path("certs"), help="default ./certs")
    parser.add_argument("--service", default="node-agent-webhook", help="the webhook's Service name")
    parser.add_argument("--namespace", default="velero", help="the Service's namespace (default velero)")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from webhook.certs import existing, generate_ca, generate_serving, service_names, write_all

    names = service_names(args.service, args.namespace)
    ca = generate_ca()
    serving = generate_serving(ca, names)
    outputs = bundle(ca, serving)
    clashes = existing(args.out_dir, outputs)
    if clashes and not args.force:
        listed = ", ".join(str(p) for p in clashes)
        print(f"node-agent-webhook certs: already there ({listed}); use --force to replace", file=sys.stderr)
        return EXISTS
    written = write_all(args.out_dir, outputs)
    for line in describe(written, ca, serving, names):
        print(line)
    return 0


def bundle(ca: Issued, serving: Issued) -> list[Output]:
    from webhook.certs import CA_FILE, CERT_FILE, KEY_FILE, PRIVATE_MODE, Output

    return [
        Output(CA_FILE, ca.cert_pem),
        Output(CERT_FILE, serving.cert_pem),
        Output(KEY_FILE, serving.key_pem, PRIVATE_MODE),
    ]


def describe(written: list[Path], ca: Issued, serving: Issued, names: list[str]) -> list[str]:
    ca_file, cert_file, key_file = written
    return [
        f"wrote {ca_file}: CA {_cn(ca)}, valid until {_until(ca)} (the caBundle; curl --cacert)",
        f"wrote {cert_file}: serving certificate for {', '.join(names)}, valid until {_until(serving)}",
        f"wrote {key_file}: its private key (mode 0600)",
    ]


def _cn(issued: Issued) -> str:
    return issued.cert.subject.rfc4514_string()


def _until(issued: Issued) -> str:
    return issued.cert.not_valid_after_utc.date().isoformat()
