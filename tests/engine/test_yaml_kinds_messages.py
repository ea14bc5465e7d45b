"""One exact-format test per message family of the two YAML kinds, as a kubectl user reads it: the
field path in the YAML, apimachinery's error type, the value, why, and the line it is written on.

The cases (test_yaml_kinds_cases.py) compare errors by type and path; the words are pinned here."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.casefile import api_resources
from webhook.engine import (
    ClusterView,
    Options,
    StorageClassInfo,
    Version,
    evaluate_config,
    evaluate_configmap,
    kind_named,
)

POLICIES, MODIFIERS = kind_named("resource-policies"), kind_named("resource-modifiers")
CLUSTER = ClusterView(
    storage_classes={"gp3": StorageClassInfo("gp3")},
    csi_drivers=["ebs.csi.aws.com"],
    api_resources=api_resources("standard"),
)
RULE = "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n"
PATCH = RULE + "  patches: [%s]\n"
POLICY = "version: v1\nvolumePolicies:\n- conditions: %s\n  action: {type: skip}\n"


def _options(version: str = "1.18.2", purposes: list[str] | None = None) -> Options:
    return Options(
        velero_version=Version(*map(int, version.split("."))), purposes=purposes and frozenset(purposes)
    )


def _found(kind: Any, text: str, version: str, purposes: list[str] | None, cluster: bool) -> list[str]:
    verdict = evaluate_config(text, kind, CLUSTER if cluster else ClusterView(), _options(version, purposes))
    return verdict.error_strings + verdict.warning_strings


def P(text: str, version: str = "1.18.2", purposes: list[str] | None = None, cluster: bool = False) -> Any:
    return (POLICIES, text, version, purposes, cluster)


def M(text: str, version: str = "1.18.2", purposes: list[str] | None = None, cluster: bool = False) -> Any:
    return (MODIFIERS, text, version, purposes, cluster)


MESSAGES = {
    "a key yaml.v3's KnownFields does not know, with its line": (
        P("version: v1\nvolumePolicy: []\n"),
        "volumePolicy: Unknown field: Velero cannot decode the resource policies; did you mean "
        "volumePolicies?"
        " (line 2)",
    ),
    "a key written twice, with the line of the first": (
        P("version: v1\nversion: v1\n"),
        'version: Duplicate value: "version": mapping key already defined at line 1: '
        "Velero cannot decode the resource policies (line 2)",
    ),
    "a field newer than the release, naming the release that added it": (
        P(POLICY % "{pvcPhase: [Bound]}", "1.17.2"),
        "volumePolicies[0].conditions.pvcPhase: Unknown field: not a field in Velero 1.17.2 (added in 1.18): "
        "Velero cannot decode the resource policies (line 3)",
    ),
    "a type error, with what it costs": (
        P(POLICY % "{storageClass: gp2}"),
        'volumePolicies[0].conditions.storageClass: Invalid value: "gp2": must be a list, not a string: '
        "Velero cannot decode the resource policies (line 3)",
    ),
    "a Go type the decode-stage switch refuses": (
        P(POLICY % "\n    pvcLabels:"),
        "volumePolicies[0].conditions.pvcLabels: Invalid value: must be a map of string to string, "
        "got <nil>: "
        "Velero cannot decode the resource policies (line 4)",
    ),
    "a YAML syntax error, in libyaml's words": (
        P("version: v1\nvolumePolicies:\n\t- x\n"),
        "<config>: Invalid value: invalid YAML: found character that cannot start any token (line 3)",
    ),
    "a second YAML document": (
        P("version: v1\n---\nversion: v2\n"),
        "<config>: Too many: 2: must hold one YAML document: gopkg.in/yaml.v3 reads the first and silently "
        "drops the rest (line 2)",
    ),
    "no YAML document at all": (
        P(""),
        "<config>: Required value: holds no YAML document (yaml.v3: EOF): Velero cannot decode the "
        "resource policies",
    ),
    "a failure that stops go-yaml outright": (
        M("version: v1\n~: 1\n"),
        "<config>: Invalid value: unsupported map key of type: <nil>: Velero cannot decode the "
        "resource modifiers"
        " (line 2)",
    ),
    "a policies version in the wrong case": (
        P("version: V1\n"),
        'version: Unsupported value: "V1": supported values: "v1" (compared case-sensitively) (line 1)',
    ),
    "an action type the release does not have yet": (
        P("version: v1\nvolumePolicies:\n- action: {type: custom}\n  conditions: {nfs: {}}\n", "1.18.0"),
        'volumePolicies[0].action.type: Unsupported value: "custom": supported values: "skip", "snapshot", '
        '"fs-backup"; "custom" from Velero 1.18.1 (line 3)',
    ),
    "a policy without an action": (
        P("version: v1\nvolumePolicies:\n- conditions: {nfs: {}}\n"),
        'volumePolicies[0].action.type: Required value: one of "skip", "snapshot", "fs-backup", "custom": '
        "Velero refuses a policy without an action (invalid action type) (line 3)",
    ),
    "a capacity range reversed": (
        P(POLICY % "{capacity: '2Gi,1Gi'}"),
        'volumePolicies[0].conditions.capacity: Invalid value: "2Gi,1Gi": the lower bound is above the upper '
        "one: Velero refuses the policy (illegal values for capacity) (line 3)",
    ),
    "a capacity bound that is no quantity": (
        P(POLICY % "{capacity: '10GB,'}"),
        'volumePolicies[0].conditions.capacity: Invalid value: "10GB,": bound "10GB": quantities must match '
        "the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': Velero reads no "
        "policy (line 3)",
    ),
    "volume attributes without a CSI driver": (
        P(POLICY % "{csi: {volumeAttributes: {a: b}}}"),
        "volumePolicies[0].conditions.csi.driver: Required value: a CSI driver is needed to filter by "
        "volumeAttributes: Velero refuses the policy (line 3)",
    ),
    "an item both included and excluded": (
        P(
            "version: v1\nincludeExcludePolicy:\n  includedClusterScopedResources: [pv]\n"
            "  excludedClusterScopedResources: [pv]\n"
        ),
        'includeExcludePolicy.excludedClusterScopedResources[0]: Duplicate value: "pv": also in '
        "includedClusterScopedResources: Velero refuses an item both included and excluded (line 4)",
    ),
    "a snapshot parameter on another action (main)": (
        P(
            "version: v1\nvolumePolicies:\n- conditions: {nfs: {}}\n  action: {type: skip, parameters: "
            "{dataMover: velero}}\n",
            "1.19.0",
        ),
        'volumePolicies[0].action.parameters[dataMover]: Forbidden: only for the "snapshot" action, '
        'not "skip": '
        "Velero refuses the policy (line 4)",
    ),
    "a filter kind in two filters": (
        P(
            "version: v1\nclusterScopedFilterPolicy:\n  resourceFilters:\n  - kinds: [pv]\n  - kinds: [pv]\n",
            "1.18.3",
        ),
        'clusterScopedFilterPolicy.resourceFilters[1].kinds[0]: Duplicate value: "pv": also in '
        "clusterScopedFilterPolicy.resourceFilters[0]: Velero refuses the policy (line 5)",
    ),
    "a namespace pattern Velero's wildcard check refuses": (
        P(
            "version: v1\nnamespacedFilterPolicies:\n- namespaces: ['a**']\n  resourceFilters: "
            "[{kinds: [pods]}]\n",
            "1.18.3",
        ),
        'namespacedFilterPolicies[0].namespaces[0]: Invalid value: "a**": wildcard pattern contains '
        "consecutive asterisks (only single * allowed): Velero refuses the policy (line 3)",
    ),
    "a volume type no volume has, with the one meant": (
        P(POLICY % "{volumeTypes: [CSI]}"),
        'volumePolicies[0].conditions.volumeTypes[0]: Invalid value: "CSI": not a volume type Velero gives '
        'volumes: the policy never matches; did you mean "csi"? (line 3)',
    ),
    "a PVC phase no PVC has": (
        P(POLICY % "{pvcPhase: [bound]}"),
        'volumePolicies[0].conditions.pvcPhase[0]: Unsupported value: "bound": supported values: "Pending", '
        '"Bound", "Lost" (line 3)',
    ),
    "volume policies in a Restore's policies": (
        P(POLICY % "{nfs: {}}", "1.18.3", ["restore"]),
        "volumePolicies: Forbidden: not supported for restore: a Restore using this ConfigMap fails "
        "validation "
        "(volumePolicies) (line 3)",
    ),
    "a null list element yaml.v3 drops": (
        P("version: v1\nvolumePolicies:\n-\n- action: {type: skip}\n  conditions: {nfs: {}}\n"),
        "volumePolicies[0]: a null list element: gopkg.in/yaml.v3 drops it, so the elements after it move up "
        "one (line 3)",
    ),
    "a policy that hides the ones after it": (
        P(
            "version: v1\nvolumePolicies:\n- action: {type: skip}\n- action: {type: skip}\n  "
            "conditions: {nfs: {}}\n"
        ),
        "volumePolicies[0]: matches every volume, and the first match wins: policy 1 never applies to "
        "them (line 3)",
    ),
    "a parameter the action never reads": (
        P(
            "version: v1\nvolumePolicies:\n- conditions: {nfs: {}}\n  action: {type: fs-backup, "
            "parameters: {x: 1}}\n"
        ),
        "volumePolicies[0].action.parameters[x]: ignored: the fs-backup action reads no parameters (line 4)",
    ),
    "a section the global policies ignore": (
        P("version: v1\nincludeExcludePolicy: {}\n", "1.18.3", ["global"]),
        "includeExcludePolicy: ignored in the global policies: only volumePolicies apply globally (line 2)",
    ),
    "a role the release does not have": (
        P("version: v1\n", "1.18.2", ["restore"]),
        "Velero 1.18.2 reads no resource policy for a Restore (from 1.18.3 (unreleased))",
    ),
    "a StorageClass the cluster lacks": (
        P(POLICY % "{storageClass: [gp2]}", cluster=True),
        'volumePolicies[0].conditions.storageClass[0]: no StorageClass "gp2" in the cluster: the '
        "policy never "
        "matches it (line 3)",
    ),
    "a filter kind in the other scope, in Velero's words": (
        P(
            "version: v1\nclusterScopedFilterPolicy:\n  resourceFilters:\n  - kinds: [pods]\n",
            "1.18.3",
            cluster=True,
        ),
        "clusterScopedFilterPolicy.resourceFilters[0].kinds[0]: namespace-scoped: it never matches here; "
        "did you mean namespacedFilterPolicies? (line 4)",
    ),
    "a modifiers version that is not v1": (
        M("version: v2\nresourceModifierRules: []\n"),
        'version: Unsupported value: "v2": supported values: "v1" (in any case) (line 1)',
    ),
    "two patch lists in a rule": (
        M(RULE + "  patches: [{operation: remove, path: /a}]\n  mergePatches: [{patchData: 'a: b'}]\n"),
        "resourceModifierRules[0].mergePatches: Forbidden: only one of patches, mergePatches, "
        "strategicPatches "
        "can be specified: Velero refuses the modifiers (line 5)",
    ),
    "an operation json-patch does not have": (
        M(PATCH % "{operation: merge, path: /a}"),
        'resourceModifierRules[0].patches[0].operation: Unsupported value: "merge": supported values: "add", '
        '"remove", "replace", "test", "move", "copy" (line 4)',
    ),
    "an operation in upper case, which passes Validate": (
        M(PATCH % "{operation: Add, path: /a, value: b}"),
        'resourceModifierRules[0].patches[0].operation: Invalid value: "Add": json-patch takes only '
        "lower-case "
        "operations: every object the rule matches fails to restore patched (unsupported operation) (line 4)",
    ),
    "a rule without patches": (
        M(RULE),
        "resourceModifierRules[0]: Required value: one of patches, mergePatches, strategicPatches: "
        "without it "
        "every object the rule matches fails to restore patched (no patch data found) (line 3)",
    ),
    "a Go regular expression Go refuses": (
        M(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods, "
            "resourceNameRegex: 'web-('}\n"
            "  patches: [{operation: remove, path: /a}]\n"
        ),
        'resourceModifierRules[0].conditions.resourceNameRegex: Invalid value: "web-(": error '
        "parsing regexp: "
        "missing closing ): `web-(`: every object the rule is tried on fails to restore patched (line 3)",
    ),
    "a glob gobwas/glob refuses": (
        M(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: 'pods['}\n"
            "  patches: [{operation: remove, path: /a}]\n"
        ),
        'resourceModifierRules[0].conditions.groupResource: Invalid value: "pods[": not a glob gobwas/glob '
        "compiles (unexpected end of input): every object the rule is tried on fails to restore "
        "patched (line 3)",
    ),
    "a patch path without its leading slash": (
        M(PATCH % "{operation: add, path: metadata/labels/a, value: b}"),
        'resourceModifierRules[0].patches[0].path: Invalid value: "metadata/labels/a": a JSON pointer starts '
        "with /: json-patch drops the first segment, so every object the rule matches fails to "
        "restore patched"
        " (line 4)",
    ),
    "a move without from": (
        M(PATCH % "{operation: move, path: /a}"),
        "resourceModifierRules[0].patches[0].from: Required value: the path to move from: every object the "
        "rule matches fails to restore patched (unable to move entire document) (line 4)",
    ),
    "a quote written into the patch unescaped": (
        M(PATCH % "{operation: add, path: /a, value: 'a\"b'}"),
        'resourceModifierRules[0].patches[0].value: Invalid value: "a\\"b": holds a ", which Velero '
        "writes into "
        "the JSON patch unescaped: every object the rule matches fails to restore patched, or it reads "
        "otherwise (line 4)",
    ),
    "a value written as it is that is no JSON": (
        M(PATCH % "{operation: add, path: /a, value: '{x'}"),
        'resourceModifierRules[0].patches[0].value: Invalid value: "{x": Velero writes it into the '
        "patch as it "
        "is, and it is not JSON (invalid character 'x' looking for beginning of object key string at line 1 "
        "column 2): every object the rule matches fails to restore patched (line 4)",
    ),
    "a YAML 1.1 boolean word": (
        M(PATCH % "{operation: add, path: /a, value: yes}"),
        'resourceModifierRules[0].patches[0].value: Invalid value: "true": YAML 1.1 reads yes as '
        "true: Velero "
        "writes a boolean; quote it for the string (line 4)",
    ),
    "an unquoted null": (
        M(PATCH % "{operation: add, path: /a, value: ~}"),
        'resourceModifierRules[0].patches[0].value: Invalid value: "": an unquoted null reads as no value: '
        'Velero writes "" into the patch; for null write "null" (line 4)',
    ),
    "a number read at 32-bit precision": (
        M(PATCH % "{operation: add, path: /a, value: 3.14159265}"),
        'resourceModifierRules[0].patches[0].value: Invalid value: "3.1415927": read as 3.1415927: a number '
        "for a string is written at 32-bit precision; quote it (line 4)",
    ),
    "a quoted number that still becomes one": (
        M(PATCH % "{operation: add, path: /a, value: '3'}"),
        "resourceModifierRules[0].patches[0].value: Velero writes it unquoted, as a number: write "
        "'\"3\"' for "
        "a string (line 4)",
    ),
    "merge patch data that is not an object": (
        M(RULE + "  mergePatches: [{patchData: '5'}]\n"),
        'resourceModifierRules[0].mergePatches[0].patchData: Invalid value: "5": must be a YAML or JSON '
        "object: every object the rule matches fails to restore patched (line 4)",
    ),
    "a strategic patch on a kind outside Velero's scheme": (
        M(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: "
            "ingresses.networking.k8s.io}\n"
            "  strategicPatches: [{patchData: 'a: b'}]\n"
        ),
        'resourceModifierRules[0].conditions.groupResource: Invalid value: "ingresses.networking.k8s.io": '
        "Velero's scheme has no kind of group 'networking.k8s.io', so a strategic merge patch cannot apply "
        "(no kind is registered): every object the rule matches fails to restore patched; use patches or "
        "mergePatches (line 3)",
    ),
    "a key set twice, in yaml.v2's words": (
        M("version: v1\nversion: v2\n"),
        'version: Duplicate value: "version": key already set in map (at line 1): Velero cannot decode the '
        "resource modifiers (line 2)",
    ),
    "a key matched only case-insensitively": (
        M(
            "Version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, "
            "patches: [{operation: remove, path: /a}]}]\n"
        ),
        'Version: read as "version": Velero matches keys case-insensitively, other tools do not (line 1)',
    ),
    "a groupResource nothing in the cluster matches, with the one meant": (
        M(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: deployments}\n"
            "  patches: [{operation: remove, path: /a}]\n",
            cluster=True,
        ),
        "resourceModifierRules[0].conditions.groupResource: matches no resource the cluster serves: the rule "
        "never applies; did you mean deployments.apps? (line 3)",
    ),
    "namespaces on a cluster-scoped resource": (
        M(
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: persistentvolumes, "
            "namespaces: [a]}\n"
            "  patches: [{operation: remove, path: /a}]\n",
            cluster=True,
        ),
        "resourceModifierRules[0].conditions.namespaces: ignored: the groupResource is "
        "cluster-scoped, so the "
        "rule applies to all of it (line 3)",
    ),
    "the default modifiers' failures, as warnings": (
        M("version: v1\nresourceModifierRules: []\n", "1.19.0", ["default"]),
        "resourceModifierRules: default resource modifiers: Velero warns and restores without them: Required "
        "value: at least one rule: Velero refuses the modifiers (resource modifier rules cannot be "
        "empty) (line 2)",
    ),
}


@pytest.mark.parametrize(("given", "expected"), MESSAGES.values(), ids=MESSAGES.keys())
def test_message(given: Any, expected: str) -> None:
    assert expected in _found(*given)


def test_a_configmap_error_names_its_key_and_keeps_the_line() -> None:
    cm = {"data": {"policy.yaml": "version: v1\nvolumePolicies:\n- action: {type: Skip}\n"}}
    verdict = evaluate_configmap(cm, POLICIES, ClusterView(), _options())
    assert verdict.error_strings == [
        'volumePolicies[0].action.type: Unsupported value: "Skip": supported values: "skip", "snapshot", '
        '"fs-backup", "custom" (line 3)'
    ]


def test_a_document_error_in_a_configmap_names_the_key() -> None:
    cm = {"data": {"policy.yaml": "version: v1\n---\nversion: v2\n"}}
    [error] = evaluate_configmap(cm, POLICIES, ClusterView(), _options()).error_strings
    assert error.startswith("data[policy.yaml]: Too many: 2: must hold one YAML document") and error.endswith(
        "(line 2)"
    )
