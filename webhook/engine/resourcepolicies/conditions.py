"""A volume policy's conditions: what Velero validates (capacity, a CSI driver for attributes: RP4),
what its first decoding pass refuses by Go type (RP2), and values no volume ever has, which
Velero never validates, so the policy silently never matches (RP6)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.hints import edit_distance
from webhook.engine.core.quantity import QuantityError, parse_quantity
from webhook.engine.core.versions import Version, describe
from webhook.engine.core.yamlread import any_type
from webhook.engine.resourcepolicies.releases import MAIN, PVC_LABELS, RELEASE_1_18
from webhook.engine.resourcepolicies.walk import conditions, strings

# volume_types_conditions.go: the types getVolumeTypeFromPV and getVolumeTypeFromVolume return
# (awsAzureDisk is a constant neither returns); main adds image
VOLUME_TYPES = (
    "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi", "downwardAPI",
    "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs",
    "hostPath", "iscsi", "local", "nfs", "photonPersistentDisk", "portworxVolume", "projected", "quobyte",
    "rbd", "scaleIO", "secret", "storageOS", "vsphereVolume",
)  # fmt: skip
PVC_PHASES = ["Pending", "Bound", "Lost"]
VOLUME_MODES = ["Filesystem", "Block"]
ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]
NEVER = "the policy never matches"
# strings.TrimSpace: Go's unicode.IsSpace
_SPACE = "[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_TRIM = re.compile(f"^{_SPACE}+|{_SPACE}+$")


def check(ctx: Context, out: Findings) -> None:
    for path, cond in conditions(ctx):
        _capacity(ctx, cond, path.child("capacity"), out)
        _csi(ctx, cond, path.child("csi"), out)
        if not _go_types(ctx, path, out):
            continue  # a value Go refuses: what it would have matched does not matter
        _volume_types(ctx, cond.get("volumeTypes"), path.child("volumeTypes"), out)
        _listed(cond.get("pvcPhase"), PVC_PHASES, path.child("pvcPhase"), out)
        _listed(cond.get("pvcAccessModes"), ACCESS_MODES, path.child("pvcAccessModes"), out)
        mode = cond.get("pvcVolumeMode")
        if isinstance(mode, str) and mode and mode not in VOLUME_MODES:
            out.error(f.not_supported(path.child("pvcVolumeMode"), mode, VOLUME_MODES, "neverMatches"))


def capacity_problem(text: str) -> str | None:
    """parseCapacity and capacityCondition.validate: "lo,hi", each a quantity or empty (0); the
    range must not be reversed (an upper bound of 0 means none)."""
    parts = (text or ",").split(",")
    if len(parts) != 2:
        return 'must be "lower,upper", either may be empty: Velero reads no policy (wrong format of Capacity)'
    bounds = []
    for written in parts:
        part = _TRIM.sub("", written)
        try:
            bounds.append(parse_quantity(part).value if part else 0)
        except QuantityError as exc:
            return f'bound "{part}": {exc}: Velero reads no policy'
    lower, upper = bounds
    if upper >= lower or (lower != 0 and upper == 0):
        return None
    return "the lower bound is above the upper one: Velero refuses the policy (illegal values for capacity)"


def _capacity(ctx: Context, cond: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    text = cond.get("capacity")
    problem = capacity_problem(text) if isinstance(text, str) else None
    if problem:
        out.error(f.invalid(path, text, problem, "capacity"))


def _csi(ctx: Context, cond: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    """csiCondition.validate (1.16+): attributes are compared only with a driver's."""
    csi = cond.get("csi")
    if not isinstance(csi, Mapping) or ctx.version < PVC_LABELS:
        return
    if not csi.get("driver") and csi.get("volumeAttributes") is not None:
        detail = "a CSI driver is needed to filter by volumeAttributes: Velero refuses the policy"
        out.error(f.required(path.child("driver"), detail, "csiDriver"))


def _go_types(ctx: Context, path: f.FieldPath, out: Findings) -> bool:
    """unmarshalResourcePolicies looks at what the first pass decoded into interface{} (Go %T);
    False when one has the wrong type."""
    if ctx.source is None:
        return True
    ok = _is(
        ctx, path.child("pvcLabels"), "map[string]interface {}", "a map of string to string", PVC_LABELS, out
    )
    ok &= _is(ctx, path.child("pvcVolumeMode"), "string", "a string", RELEASE_1_18, out)
    modes = path.child("pvcAccessModes")
    if not _is(ctx, modes, "[]interface {}", "a list of strings", RELEASE_1_18, out):
        return False
    node = ctx.source.node(modes) if ctx.version >= RELEASE_1_18 else None
    for i, element in enumerate(node.children if node is not None else ()):
        got = any_type(element, ctx.source.dialect)  # the first pass keeps a null element
        if got != "string":
            detail = (
                f"must be a list of strings, got element {got}: Velero cannot decode the resource policies"
            )
            out.error(
                f.FieldError(
                    f.ErrorType.TYPE_INVALID, modes.index(i), detail, origin="goType", line=element.line
                )
            )
            ok = False
    return ok


def _is(ctx: Context, path: f.FieldPath, go: str, want: str, since: Version, out: Findings) -> bool:
    """Whether the value at `path`, if written, has the Go type; an error if not, unless the
    decoder already said the value has the wrong type."""
    got = ctx.source.go_type(path) if ctx.source is not None and ctx.version >= since else None
    if got is None or got == go:
        return True
    if not ctx.dropped(path):
        detail = f"must be {want}, got {got}: Velero cannot decode the resource policies"
        out.error(f.FieldError(f.ErrorType.TYPE_INVALID, path, detail, origin="goType"))
    return False


def _volume_types(ctx: Context, listed: Any, path: f.FieldPath, out: Findings) -> None:
    known = (*VOLUME_TYPES, "image") if ctx.version >= MAIN else VOLUME_TYPES
    for i, name in strings(listed):
        if name not in known:
            out.error(f.invalid(path.index(i), name, _why_never(ctx, name, known), "neverMatches"))


def _why_never(ctx: Context, name: str, known: tuple[str, ...]) -> str:
    if name == "image":
        return f"Velero {describe(ctx.version)} has no image volume type (from {describe(MAIN)}): {NEVER}"
    if name == "awsAzureDisk":
        return f"Velero never gives a volume this type (it is not a volume source): {NEVER}"
    if name.lower() in ("persistentvolumeclaim", "pvc"):
        return f"a PVC's volume has its PersistentVolume's type (csi, nfs, ...): {NEVER}"
    close = sorted((edit_distance(name.lower(), k.lower()), k) for k in known)
    hint = f'; did you mean "{close[0][1]}"?' if close and close[0][0] <= 2 else ""
    return f"not a volume type Velero gives volumes: {NEVER}{hint}"


def _listed(values: Any, allowed: list[str], path: f.FieldPath, out: Findings) -> None:
    """A PVC phase or access mode no PVC has: Velero compares them as written (case too)."""
    for i, value in strings(values):
        if value not in allowed:
            out.error(f.not_supported(path.index(i), value, allowed, "neverMatches"))
