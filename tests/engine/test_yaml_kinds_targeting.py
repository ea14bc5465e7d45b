"""Which ConfigMaps are policies or modifiers, and in which roles: by content (for ConfigMaps nothing
references yet), and by the velero Deployment's flags (release-1.18 and main), whose Reader gives
the role a ConfigMap is read in."""

from __future__ import annotations

from typing import Any

import pytest

from webhook.engine import ClusterView, Targeting, VeleroWorkload, kind_named, looking_like, roles

CONTENT = [
    (
        "a policy in block YAML",
        {"p.yaml": "version: v1\nvolumePolicies:\n- action: {type: skip}\n"},
        ["resource-policies"],
    ),
    ("a policy as JSON", {"p.json": '{"version": "v1", "includeExcludePolicy": {}}'}, ["resource-policies"]),
    ("filter policies only", {"p": "version: v1\nnamespacedFilterPolicies: []\n"}, ["resource-policies"]),
    ("a version alone is no policy", {"p": "version: v1\n"}, []),
    ("policies without a version", {"p": "volumePolicies: []\n"}, []),
    ("Version in another case is not read by yaml.v3", {"p": "Version: v1\nvolumePolicies: []\n"}, []),
    (
        "modifiers",
        {"m.yaml": "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n"},
        ["resource-modifiers"],
    ),
    (
        "modifiers in any case, as Velero reads them",
        {"m": '{"ResourceModifierRules": []}'},
        ["resource-modifiers"],
    ),
    ("a node-agent config", {"c.json": '{"loadConcurrency": {"globalConfig": 2}}'}, []),
    ("a key mentioned in a value is no key", {"c": "note: the volumePolicies and version fields\n"}, []),
]


@pytest.mark.parametrize(("data", "kinds"), [(d, k) for _, d, k in CONTENT], ids=[n for n, _, _ in CONTENT])
def test_a_configmap_looks_like_a_kind_by_its_keys(data: dict[str, Any], kinds: list[str]) -> None:
    assert [k.name for k in looking_like(data)] == kinds


def _velero(flags: dict[str, str], version: str) -> ClusterView:
    return ClusterView(workloads=[VeleroWorkload("velero", "velero", "Deployment", flags, version)])


GLOBAL = "--global-backup-volume-policies-configmap"
DEFAULT = "--default-resource-modifier-configmap"


def test_the_global_flag_gives_the_global_role_from_release_1_18() -> None:
    [role] = roles(Targeting(), _velero({GLOBAL: "global-policies"}, "1.18.3"), "velero", "global-policies")
    assert (role.kind.name, role.purposes) == ("resource-policies", frozenset({"global"}))


def test_the_global_flag_is_read_by_no_release_before() -> None:
    assert (
        roles(Targeting(), _velero({GLOBAL: "global-policies"}, "1.18.2"), "velero", "global-policies") == []
    )


def test_the_default_modifiers_flag_on_main() -> None:
    [role] = roles(Targeting(), _velero({DEFAULT: "mods"}, "1.19.0"), "velero", "mods")
    assert (role.kind.name, role.purposes) == ("resource-modifiers", frozenset({"default"}))


def test_a_name_configured_for_the_kind_adds_its_usual_role() -> None:
    targeting = Targeting(names={"resource-modifiers": frozenset({"mods"})})
    [role] = roles(targeting, _velero({DEFAULT: "mods"}, "1.19.0"), "velero", "mods")
    assert role.purposes == frozenset({"default", "restore"})


def test_a_configured_name_alone_leaves_the_kinds_usual_role() -> None:
    targeting = Targeting(names={"resource-policies": frozenset({"p"})})
    [role] = roles(targeting, ClusterView(), "velero", "p")
    assert role.purposes is None and role.kind.purposes_of(role.purposes) == frozenset({"backup"})


def test_every_reader_flag_of_the_kinds_is_one_the_inventory_keeps() -> None:
    from webhook.engine import reader_flags

    assert {GLOBAL, DEFAULT} <= reader_flags()
    assert kind_named("resource-policies").readers[0].purpose == "global"
