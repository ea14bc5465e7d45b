"""The validation engine: a Velero ConfigMap, a view of the cluster and a Velero version in, a verdict
out. Pure: no I/O, no web framework, no Kubernetes client, so the admission server, the offline CLI
and the tests all judge a config the same way.

`core` knows no config kind: Go-JSON decoding, the schema walk, keys, hints, Kubernetes predicates,
quantities, selectors, field paths and findings. Each kind is a package (`nodeagent`, ...) that hands
the core a `ConfigKind` value, registered in `kinds`. `targeting` says which ConfigMaps are which
kind and which release; `decide` answers a write or a deletion. Other packages import these names
from here, never from the modules behind them.
"""

from webhook.engine.core.cluster import (
    NO_CLUSTER,
    APIResourceInfo,
    BackupRepositoryInfo,
    ClusterView,
    Gap,
    NodeIndexView,
    StorageClassInfo,
    VeleroWorkload,
)
from webhook.engine.core.configmap import evaluate_config, evaluate_configmap
from webhook.engine.core.field import (
    ROOT,
    ErrorType,
    FieldError,
    FieldPath,
    FieldWarning,
    Key,
    Literal,
    one_line,
    render_value,
)
from webhook.engine.core.findings import MAX_ERRORS, MAX_WARNINGS
from webhook.engine.core.kind import ConfigKind, Effect
from webhook.engine.core.verdict import FieldValidation, Options, Verdict
from webhook.engine.core.versions import (
    NEWEST,
    NEWEST_RELEASE,
    OLDEST,
    RELEASES,
    UNRELEASED,
    Version,
    describe,
)
from webhook.engine.decide import (
    ALLOW_UNTOUCHED,
    Decision,
    Request,
    check_delete,
    check_write,
    newer_than_known,
)
from webhook.engine.kinds import BY_NAME, DEFAULT_KIND, KINDS, kind_named, looking_like, reader_flags
from webhook.engine.targeting import (
    Role,
    Targeting,
    VersionChoice,
    VersionSource,
    choose_version,
    read_names,
    role_of,
    roles,
    target_version,
)

__all__ = [
    "ALLOW_UNTOUCHED",
    "BY_NAME",
    "DEFAULT_KIND",
    "KINDS",
    "MAX_ERRORS",
    "MAX_WARNINGS",
    "NEWEST",
    "NEWEST_RELEASE",
    "NO_CLUSTER",
    "OLDEST",
    "RELEASES",
    "ROOT",
    "UNRELEASED",
    "APIResourceInfo",
    "BackupRepositoryInfo",
    "ClusterView",
    "ConfigKind",
    "Decision",
    "Effect",
    "ErrorType",
    "FieldError",
    "FieldPath",
    "FieldValidation",
    "FieldWarning",
    "Gap",
    "Key",
    "Literal",
    "NodeIndexView",
    "Options",
    "Request",
    "Role",
    "StorageClassInfo",
    "Targeting",
    "VeleroWorkload",
    "Verdict",
    "Version",
    "VersionChoice",
    "VersionSource",
    "check_delete",
    "check_write",
    "choose_version",
    "describe",
    "evaluate_config",
    "evaluate_configmap",
    "kind_named",
    "looking_like",
    "newer_than_known",
    "one_line",
    "read_names",
    "reader_flags",
    "render_value",
    "role_of",
    "roles",
    "target_version",
]
