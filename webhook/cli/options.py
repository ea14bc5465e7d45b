"""The options `validate` and `explain` share: what to read, which names and Velero, where the cluster
facts come from, how to print. `serve` shares `--field-validation`."""

from __future__ import annotations

import argparse

from webhook.cli.velero_version import known_range, velero_version
from webhook.engine.policy import DEFAULT_CONFIGMAP
from webhook.engine.verdict import FieldValidation


def field_validation(text: str) -> FieldValidation:
    """Strict or Warn, in any case: kubectl writes `--validate=strict` and `warn`."""
    for mode in FieldValidation:
        if text.lower() == mode.value.lower():
            return mode
    raise argparse.ArgumentTypeError(f"{text!r}: choose strict or warn")


def add_field_validation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field-validation",
        type=field_validation,
        default=FieldValidation.STRICT,
        metavar="strict|warn",
        help="strict denies unknown and duplicate keys; warn only warns (default strict)",
    )


def add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="ConfigMap manifests (YAML/JSON, several documents, Lists), directories (walked for "
        "*.yaml, *.yml, *.json) or bare config files; - reads stdin. With -n: ConfigMap names",
    )
    parser.add_argument(
        "-n", "--namespace", help="read the named ConfigMaps from this namespace of the cluster"
    )
    parser.add_argument(
        "--configmap-name",
        action="append",
        metavar="NAME",
        help=f"a ConfigMap name to check, repeatable (default {DEFAULT_CONFIGMAP}); the names the "
        "node-agent DaemonSets read (--node-agent-configmap) are checked too; others are skipped",
    )
    parser.add_argument(
        "--manifests-only",
        action="store_true",
        help="skip files that hold no Kubernetes object instead of checking them as bare configs",
    )


def add_cluster(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--nodes",
        metavar="FILE",
        help="what `kubectl get nodes -o json` prints (may also hold StorageClasses, "
        "PriorityClasses, DaemonSets), instead of a cluster",
    )
    source.add_argument(
        "--kubeconfig",
        metavar="FILE",
        help="check against this cluster (without it, -n and --context find the kubeconfig as "
        "kubectl does: $KUBECONFIG, ~/.kube/config, else in-cluster)",
    )
    source.add_argument("--in-cluster", action="store_true", help="use the pod's service account")
    parser.add_argument("--context", help="the kubeconfig context to use (default: its current one)")


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--velero-version",
        type=velero_version,
        metavar="X.Y.Z",
        help=f"the Velero to check for ({known_range()}; default: the node-agent DaemonSet's image "
        "tag, else the newest release)",
    )
    parser.add_argument(
        "--allow-newer-version",
        action="store_true",
        help="accept a --velero-version newer than the tool knows (its new fields are unknown: "
        "strict denies them)",
    )


def add_output(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("-o", "--output", choices=formats, default="text", help="default text")
    parser.add_argument(
        "--warnings-as-errors", action="store_true", help="exit 1 when any warning is found, as kubectl"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="text output: print only denials and errors"
    )


def add_all(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Every option of `validate` and `explain`: they take the same inputs."""
    add_inputs(parser)
    add_cluster(parser)
    add_version(parser)
    add_field_validation(parser)
    add_output(parser, formats)
