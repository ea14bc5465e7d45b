"""Seeded generators of odd YAML for the two YAML kinds: valid documents bent at one line, and text
built from the pieces YAML parsers trip on (anchors, aliases, merge keys, tags, tabs, documents,
YAML 1.1 words, flow and block styles, deep nesting, control characters, lone surrogates)."""

from __future__ import annotations

import random

POLICY = """version: v1
volumePolicies:
- conditions:
    capacity: "0,100Gi"
    storageClass: [gp2, gp3]
    nfs: {server: 10.0.0.1, path: /export}
    csi: {driver: ebs.csi.aws.com, volumeAttributes: {type: gp3}}
    volumeTypes: [csi, nfs]
    pvcLabels: {app: db}
    pvcPhase: [Bound]
    pvcVolumeMode: Filesystem
    pvcAccessModes: [ReadWriteOnce]
  action:
    type: snapshot
    parameters: {dataMover: velero, snapshotClass: csi-vsc}
includeExcludePolicy:
  includedClusterScopedResources: [persistentvolumes]
  excludedNamespaceScopedResources: [secrets]
clusterScopedFilterPolicy:
  resourceFilters:
  - kinds: [persistentvolumes]
    labelSelector: {matchExpressions: [{key: tier, operator: In, values: [gold]}]}
    names: ["pv-*"]
namespacedFilterPolicies:
- namespaces: ["prod-*"]
  resourceFilters:
  - kinds: [deployments]
    orLabelSelectors: [{matchLabels: {app: web}}]
    excludedNames: [canary]
"""
MODIFIERS = """version: v1
resourceModifierRules:
- conditions:
    groupResource: deployments.apps
    namespaces: [prod, "app-*"]
    resourceNameRegex: "^web-.*$"
    labelSelector: {matchLabels: {app: web}}
    matches:
    - {path: /spec/replicas, value: "3"}
  patches:
  - {operation: replace, path: /spec/replicas, value: "1"}
  - {operation: copy, from: /metadata/labels/app, path: /metadata/labels/name}
- conditions: {groupResource: pods}
  mergePatches:
  - patchData: |
      metadata:
        labels: {restored: "true"}
- conditions: {groupResource: "*.apps"}
  strategicPatches:
  - patchData: '{"spec": {"template": {"metadata": {"labels": {"a": "b"}}}}}'
"""
PIECES = [
    "&a ",
    "*a",
    "<<: *a",
    "<<: [*a, *b]",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!!merge ",
    "! ",
    "!foo ",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "~",
    "null",
    "0x10",
    "010",
    "0o17",
    "1e3",
    ".inf",
    ".nan",
    "1_000",
    "2024-01-02",
    "2024-01-02T03:04:05Z",
    "'quoted'",
    '"dq\\n"',
    "|",
    ">-",
    "- ",
    "? ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "#",
    "---",
    "...",
    "\t",
    "  ",
    "\n",
    "%YAML 1.1\n",
    "\x00",
    "\x85",
    "\ufeff",
    "\ud800",
    "é",
    "version",
    "volumePolicies",
    "resourceModifierRules",
    "conditions",
    "patches",
    "value",
    "v1",
]


def bent(base: str, rng: random.Random) -> str:
    """A valid document with one line replaced, duplicated, dropped or spliced with a piece."""
    lines = base.splitlines()
    i = rng.randrange(len(lines))
    how = rng.randrange(4)
    if how == 0:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)] + rng.choice(PIECES)
    elif how == 1:
        lines.insert(i, lines[i])
    elif how == 2:
        del lines[i]
    else:
        lines[i] = lines[i].replace(":", ": " + rng.choice(PIECES), 1)
    return "\n".join(lines) + "\n"


def pieces(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 30)))


def nested(rng: random.Random) -> str:
    depth = rng.choice([5, 50, 99, 100, 101, 300])
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}")])
    return "version: v1\nx: " + opener * depth + closer * depth + "\n"


def aliased(rng: random.Random) -> str:
    """A chain of anchors each listing the previous several times (billion laughs, small)."""
    width, depth = rng.randrange(2, 12), rng.randrange(2, 9)
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    return "\n".join(lines) + "\n"


def draw(kind: str, seed: int) -> str:
    rng = random.Random(seed)
    base = POLICY if kind == "resource-policies" else MODIFIERS
    form = seed % 5
    if form <= 1:
        return bent(base, rng)
    if form == 2:
        return bent(bent(base, rng), rng)
    if form == 3:
        return pieces(rng)
    return nested(rng) if rng.random() < 0.5 else aliased(rng)
