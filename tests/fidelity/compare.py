"""Compares one engine verdict with the oracle's answer for the same config and nodes.

The rules of the comparison (issue 6):
- Velero cannot decode the config  <=>  the engine names a syntax or type error (and so denies);
- the per-node concurrency is the same, node for node, whenever the engine computes it;
- the loadAffinity elements the engine warns are never used are those no Velero lookup picks;
- when the engine allows, Velero skips no rule, drops no podResources, ignores no cachePVC and does
  not panic on loadAffinity (each of those is a MISREAD or BROKEN the engine must deny);
- every error the engine gives for a config Velero accepts is one of DELIBERATE below: a Decision of
  the reference (shared/reference/velero-node-agent-config.md), with its rule and why; where Velero
  shows the effect itself (a skipped rule, a dropped section), the oracle must show it too.
Anything else is a disagreement: `disagreements` returns them as sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tests.engine.casefile import concurrency_of
from webhook.engine import FieldError, Verdict

Answer = Mapping[str, Any]
DECODE_ORIGINS = frozenset({"syntax", "type"})


def _skipped(reason: str) -> Callable[[Answer, FieldError], bool]:
    def check(answer: Answer, err: FieldError) -> bool:
        index = int(re.search(r"perNodeConfig\[(\d+)\]", str(err.path))[1])  # type: ignore[index]
        return any(s["index"] == index and s["reason"].startswith(reason) for s in answer["rulesSkipped"])

    return check


@dataclass(frozen=True)
class Deliberate:
    """An engine error for a config Velero accepts, and why the engine denies it anyway."""

    rule: str  # the row of the reference (R*, or a Decision D-*)
    path: str  # regular expression over the error's path
    origins: frozenset[str]  # the engine rules (FieldError.origin) that give it
    reason: str
    velero: Callable[[Answer, FieldError], bool] | None = None  # what the oracle must show, if it can

    def covers(self, err: FieldError) -> bool:
        return err.origin in self.origins and re.fullmatch(self.path, str(err.path)) is not None


SELECTOR = frozenset({"labelKey", "labelValue", "enum", "values", "required"})
RESOURCES = r"podResources\.\w+"
DELIBERATE = (
    Deliberate(
        "D-strict-unknown",
        r".*",
        frozenset({"unknown"}),
        "Velero ignores unknown keys; Strict field validation denies them, as Kubernetes does",
    ),
    Deliberate(
        "D-strict-duplicate",
        r".*",
        frozenset({"duplicateKey"}),
        "Velero keeps the last of duplicated keys; Strict field validation denies them",
    ),
    Deliberate(
        "D-global-below-1",
        r"loadConcurrency\.globalConfig",
        frozenset({"minimum"}),
        "Velero replaces a global number below 1 with 1; the docs say numbers start from 1",
        lambda a, _: a["globalConcurrency"] == 1,
    ),
    Deliberate(
        "D-number",
        r"loadConcurrency\.perNodeConfig\[\d+\]\.number",
        frozenset({"minimum", "required"}),
        "Velero skips a rule whose number is missing or below 1",
        _skipped(""),  # or for its selector, which Velero looks at first
    ),
    Deliberate(
        "D-prepare-negative",
        r"loadConcurrency\.prepareQueueLength",
        frozenset({"minimum"}),
        "Velero treats a negative queue length as no limit; the docs say it starts from 1",
        lambda a, _: a["prepareQueueLength"] == 0,
    ),
    Deliberate(
        "R6",
        r"loadConcurrency\.perNodeConfig\[\d+\]\.nodeSelector\..*",
        SELECTOR,
        "Velero skips a rule whose selector does not parse (MISREAD)",
        _skipped("invalid label selector"),
    ),
    Deliberate(
        "R5",
        r"loadAffinity\[\d+\]",
        frozenset({"nil"}),
        "a null loadAffinity element: Velero's lookup dereferences it (BROKEN)",
    ),
    Deliberate(
        "R7/R8",
        r"loadAffinity\[\d+\]\.nodeSelector\..*",
        SELECTOR,
        "Velero copies the selector into each data-mover pod, which the API server rejects (BROKEN)",
    ),
    Deliberate(
        "R9",
        RESOURCES,
        frozenset({"quantity", "required", "request>limit"}),
        "Velero drops the whole podResources section on one bad value (MISREAD)",
        lambda a, _: a["podResourcesDropped"] is True,
    ),
    Deliberate(
        "R9 (negative)",
        RESOURCES,
        frozenset({"negative"}),
        "Velero keeps a negative quantity; every data-mover pod is then rejected (BROKEN)",
    ),
    Deliberate(
        "R10",
        r"podLabels.*",
        frozenset({"labelKey", "labelValue", "reserved"}),
        "an invalid or reserved pod label: pod creation fails or the pod-to-CR mapping breaks (BROKEN)",
    ),
    Deliberate(
        "R11",
        r"(podAnnotations|backupPVC\[.*\]\.annotations).*",
        frozenset({"annotationKey", "annotationSize"}),
        "an invalid annotation key or too many bytes: pod or PVC creation fails (BROKEN)",
    ),
    Deliberate(
        "R12",
        r"(priorityClassName|backupPVC.*|restorePVC.*|cachePVC\.storageClass|loadAffinity\[\d+\]\.storageClass"
        r"|csiSnapshotMetadataServiceConfigs.*)",
        frozenset({"name", "uniqueItems", "maxLength", "pattern"}),
        "an invalid object name: the object it names can never exist (BROKEN / MISREAD)",
    ),
    Deliberate(
        "R13",
        r"cachePVC\.storageClass",
        frozenset({"required"}),
        "Velero ignores a cachePVC without a storageClass (MISREAD)",
        lambda a, _: a["cachePVCIgnored"] is not None,
    ),
    Deliberate(
        "cachePVC threshold",
        r"cachePVC\.residentThresholdInMB",
        frozenset({"maximum"}),
        "Velero shifts the MB into bytes (ResidentThresholdInMB << 20, data_download_controller.go):"
        " from 2**43 MB the int64 overflows and the threshold is misread (MISREAD)",
    ),
)


# The engine checks a field the target version does not read as it checks the others (its engine
# case: "A field that an old version does not read is still checked, for the day Velero is
# upgraded"); that Velero skips the field, whatever it holds.
AHEAD = Deliberate(
    "D-version-field",
    r".*",
    frozenset(),
    "a field the target release does not read is still checked, for the day Velero is upgraded",
)
_UNREAD = re.compile(r"^(\S+): ignored by Velero [^;]+; added in ")


def unread_fields(verdict: Verdict) -> tuple[str, ...]:
    """The fields the engine says the target release does not read (from its version warnings)."""
    found = (_UNREAD.match(w) for w in verdict.warning_strings)
    return tuple(m[1] + sep for m in found if m is not None for sep in (":", ".", "["))


def deliberate_for(err: FieldError, unread: tuple[str, ...] = ()) -> Deliberate | None:
    if f"{err.path}:".startswith(unread):
        return AHEAD
    return next((d for d in DELIBERATE if d.covers(err)), None)


def disagreements(verdict: Verdict, answer: Answer, nodes: Mapping[str, Any], exits: bool) -> list[str]:
    """Every way the engine's verdict and Velero's answer disagree (empty: they agree).

    `exits`: whether this node-agent exits on a decode error (>= 1.17) or runs without the config.
    """
    decode_errors = [e for e in verdict.errors if e.origin in DECODE_ORIGINS]
    if answer["decodeError"] is not None and not decode_errors:
        return [f"Velero cannot decode it ({answer['decodeError']}) but the engine names no decode error"]
    if answer["decodeError"] is None and decode_errors:
        return [f"the engine says Velero cannot decode it ({decode_errors[0]}) but Velero can"]
    out = _concurrency(verdict, answer, nodes, exits)
    if answer["decodeError"] is None:
        out += _undecided(verdict.errors, answer, unread_fields(verdict))
        out += _unused_affinity(verdict, answer)
        out += _silent_misreads(answer) if verdict.allowed else []
    return out


def _concurrency(verdict: Verdict, answer: Answer, nodes: Mapping[str, Any], exits: bool) -> list[str]:
    if answer["decodeError"] is not None and exits:
        return []  # node-agent does not start: there is no number to compare
    got = {c.node: c.concurrency for c in concurrency_of(verdict)}
    want = answer["concurrency"] or {}
    if not nodes or got == want:
        return []
    return [f"concurrency: engine {got}, Velero {want}"]


_NEVER_USED = re.compile(r"^loadAffinity\[(\d+)\]: (never used|ignored by)")


def _unused_affinity(verdict: Verdict, answer: Answer) -> list[str]:
    """The loadAffinity elements the engine says are never used are those no Velero lookup picks."""
    if answer["loadAffinityPanic"] or any(e.origin == "nil" for e in verdict.errors):
        return []  # a null element: denied (R5), and Velero's lookups stop at it
    found = (_NEVER_USED.match(w) for w in verdict.warning_strings)
    unused = sorted(int(m[1]) for m in found if m is not None)
    if unused == answer["loadAffinityUnused"]:
        return []
    return [f"loadAffinity elements never used: engine {unused}, Velero {answer['loadAffinityUnused']}"]


def _undecided(errors: Sequence[FieldError], answer: Answer, unread: tuple[str, ...]) -> list[str]:
    out = []
    for err in errors:
        row = deliberate_for(err, unread)
        if row is None:
            out.append(f"the engine denies what Velero accepts, with no Decision: {err} [{err.origin}]")
        elif row.velero is not None and not row.velero(answer, err):
            out.append(f"{row.rule}: the engine says {row.reason}, Velero does not: {err}")
    return out


def _silent_misreads(answer: Answer) -> list[str]:
    out = []
    if answer["rulesSkipped"]:
        out.append(f"allowed, but Velero skips perNodeConfig rules: {answer['rulesSkipped']}")
    if answer["podResourcesDropped"]:
        out.append(f"allowed, but Velero drops podResources: {answer['podResourcesError']}")
    if answer["loadAffinityPanic"]:
        out.append(f"allowed, but Velero panics looking up loadAffinity for {answer['loadAffinityPanic']}")
    if answer.get("cachePVCIgnored"):
        out.append(f"allowed, but Velero ignores cachePVC: {answer['cachePVCIgnored']}")
    return out
