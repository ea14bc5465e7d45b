"""`node-agent-webhook --version`: this package's version and the Velero releases it knows."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from webhook.cli.velero_version import known_range
from webhook.engine import NEWEST_RELEASE

DISTRIBUTION = "velero-node-agent-webhook"


def package_version() -> str:
    from importlib import metadata  # read only when asked: it costs more than the rest of a --help

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def version_line() -> str:
    return (
        f"node-agent-webhook {package_version()}: Velero {known_range()}, "
        f"checked against {NEWEST_RELEASE} unless told or a node-agent DaemonSet says"
    )


class VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(version_line())
        sys.exit(0)
