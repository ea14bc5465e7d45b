"""podLabels, podAnnotations and backupPVC annotations: what the API server will refuse on each pod.

Velero copies these maps onto data-mover pods (and backup PVCs) without checking them; an invalid
key makes every pod creation fail, and four label keys are how Velero finds a pod's owner.
"""

from __future__ import annotations

from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.predicates import TOTAL_ANNOTATION_SIZE_LIMIT, annotations_too_long

RESERVED_LABELS = {
    "velero.io/data-upload": "DataUpload",
    "velero.io/data-download": "DataDownload",
    "velero.io/pod-volume-backup": "PodVolumeBackup",
    "velero.io/pod-volume-restore": "PodVolumeRestore",
}
OVERWRITTEN_LABEL = "velero.io/exposer-pod-group"


def check(ctx: Context, out: Findings) -> None:
    labels = ctx.section("podLabels")
    if isinstance(labels, dict):
        _labels(labels, out)
    _annotation_size(ctx.section("podAnnotations"), f.ROOT.child("podAnnotations"), out)
    for sc, item in (ctx.section("backupPVC") or {}).items():
        path = f.ROOT.child("backupPVC").key(sc)
        if isinstance(item, dict):
            _annotation_size(item.get("annotations"), path.child("annotations"), out)
            _relabeling(item, path, out)


def _labels(labels: dict[str, str], out: Findings) -> None:
    path = f.ROOT.child("podLabels")
    for key, owner in RESERVED_LABELS.items():
        if key in labels:
            detail = f"Velero finds the {owner} of a data-mover pod by this label; setting it breaks that"
            out.error(f.forbidden(path.key(key), detail, "reserved"))
    if OVERWRITTEN_LABEL in labels:
        out.warn(path.key(OVERWRITTEN_LABEL), "Velero sets this label itself and overwrites the value")


def _annotation_size(annotations: Any, path: f.FieldPath, out: Findings) -> None:
    if isinstance(annotations, dict) and annotations_too_long(annotations):
        out.error(f.too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT, "annotationSize"))


def _relabeling(item: dict[str, Any], path: f.FieldPath, out: Findings) -> None:
    if item.get("spcNoRelabeling") and not item.get("readOnly"):
        out.warn(path.child("spcNoRelabeling"), "ignored unless readOnly is true")
