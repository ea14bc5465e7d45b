"""The Velero releases that changed what a resource policy may hold (internal/resourcepolicies of each
tag in the Go module cache; r1.18 and main read at the reference's commits 25a2a449c and d2241ad)."""

from __future__ import annotations

from webhook.engine.core.versions import Version

SNAPSHOT_ACTIONS = Version(1, 14, 0)  # snapshot and fs-backup (1.13 knows only skip)
PVC_LABELS = Version(1, 16, 0)  # pvcLabels, csi.volumeAttributes and the driver they need
INCLUDE_EXCLUDE = Version(1, 17, 0)
PVC_PHASE = Version(1, 18, 0)
CUSTOM_ACTION = Version(1, 18, 1)
RELEASE_1_18 = Version(1, 18, 3)  # release-1.18: filter policies, restores, global policies, volume modes
MAIN = Version(1, 19, 0)  # main: dataMover and snapshotClass parameters, the image volume type
