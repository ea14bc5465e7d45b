"""podLabels and podAnnotations: what the API server refuses on the job pod, and the label Velero sets.

v1.18 buildJob copies both maps onto the job pod unchecked (an invalid key or value: the Job is
refused; the schema reports those), after its own `velero.io/repo-name` label, which a podLabels
entry of that key replaces on the pod. Velero finds the jobs by the Job's own label, not the pod's,
so nothing breaks; main (1.19) skips such a label instead.
"""

from __future__ import annotations

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.predicates import TOTAL_ANNOTATION_SIZE_LIMIT, annotations_too_long
from webhook.engine.core.versions import Version

REPO_NAME_LABEL = "velero.io/repo-name"
SKIPS_RESERVED = Version(1, 19, 0)


def check(ctx: Context, out: Findings) -> None:
    labels = ctx.section("podLabels")
    if isinstance(labels, dict) and REPO_NAME_LABEL in labels:
        out.warn(f.ROOT.child("podLabels").key(REPO_NAME_LABEL), _reserved(ctx))
    annotations = ctx.section("podAnnotations")
    if isinstance(annotations, dict) and annotations_too_long(annotations):
        path = f.ROOT.child("podAnnotations")
        out.error(f.too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT, "annotationSize"))


def _reserved(ctx: Context) -> str:
    if ctx.reads(SKIPS_RESERVED):
        return f"skipped by {ctx.velero}: Velero sets this label on the job pod to the repository's name"
    return "Velero sets this label on the job pod to the repository's name: this value replaces it there"
