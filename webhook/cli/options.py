"""The options `validate` and `explain` share: what to read, which names and Velero, where the cluster
facts come from, how to print. `serve` shares `--field-validation`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from webhook.cli.velero_version import known_range, velero_version
from webhook.engine import BY_NAME, DEFAULT_KIND, ConfigKind, FieldValidation, Targeting, kind_named


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


def config_kind(text: str) -> ConfigKind:
    try:
        return kind_named(text)
    except KeyError as exc:
        raise argparse.ArgumentTypeError(str(exc.args[0])) from None


def configmap_name(text: str) -> tuple[str, str]:
    """`NAME` (a node-agent config) or `KIND=NAME`, as (kind, name)."""
    kind, equals, name = text.rpartition("=")
    if not equals:
        return DEFAULT_KIND.name, text
    if kind not in BY_NAME or not name:
        known = ", ".join(BY_NAME)
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME or KIND=NAME, KIND one of {known}")
    return kind, name


def names_by_kind(given: Sequence[tuple[str, str]] | None) -> Mapping[str, frozenset[str]]:
    """The names checked per kind: the defaults, each kind's replaced by the names given for it (as
    with `serve`, given names replace the default)."""
    names = dict(Targeting().names)
    for kind in {k for k, _ in given or ()}:
        names[kind] = frozenset(n for k, n in given or () if k == kind)
    return names


def add_kind_names(parser: argparse.ArgumentParser, what: str) -> None:
    """`--configmap-name [KIND=]NAME`: shared by validate, explain and serve."""
    kinds = ", ".join(BY_NAME)
    parser.add_argument(
        "--configmap-name",
        action="append",
        type=configmap_name,
        metavar="[KIND=]NAME",
        help=f"a ConfigMap name {what}, repeatable; KIND is one of {kinds} (default node-agent); "
        "names given for a kind replace its default (node-agent: node-agent-config); the names "
        "Velero's workloads read through their flags are checked too",
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
    add_kind_names(parser, "to check (others are skipped)")
    parser.add_argument(
        "--kind",
        type=config_kind,
        metavar="KIND",
        help=f"check every input as this kind ({', '.join(BY_NAME)}), whatever its name; bare config "
        "files are node-agent configs without it",
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
        "PriorityClasses, DaemonSets, Deployments, BackupStorageLocations, BackupRepositories), "
        "instead of a cluster",
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
        help=f"the Velero to check for ({known_range()}; default: the image tag of the Velero "
        "workload that reads the config, else the newest release)",
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
