"""Which Velero a run checks for: `--velero-version` held against the releases this tool knows.

The engine knows Velero from OLDEST to NEWEST (webhook/engine/releases.json). Older is a usage error;
a newer minor is refused unless `--allow-newer-version`, because the fields it added are unknown here
and Strict checking denies them like typos: the user must know that before reading a denial.
"""

from __future__ import annotations

import argparse

from webhook.engine import NEWEST, OLDEST, Version, describe

# A Velero version's numbers: more digits than this is a typo, not a release (99999999999999999999.1)
MAX_DIGITS = 4


def velero_version(text: str) -> Version:
    """The argparse type of --velero-version: the form only (X.Y or X.Y.Z, an optional v)."""
    version = Version.parse(text)
    too_long = version is not None and max(version.major, version.minor, version.patch) >= 10**MAX_DIGITS
    if version is None or too_long:
        raise argparse.ArgumentTypeError(f"not a Velero version: {text!r} (X.Y or X.Y.Z)")
    return version


def known_range() -> str:
    return f"{OLDEST.minor_text} to {describe(Version(NEWEST.major, NEWEST.minor))}"


def is_newer(version: Version) -> bool:
    """A minor (or major) after the newest this tool knows: its new fields are unknown here."""
    return (version.major, version.minor) > (NEWEST.major, NEWEST.minor)


def refusal(version: Version | None, allow_newer: bool) -> str | None:
    """Why --velero-version cannot be used, as a usage error; None when it can."""
    if version is None:
        return None
    if version < OLDEST:
        return f"--velero-version {version}: this tool knows Velero {known_range()}"
    if is_newer(version) and not allow_newer:
        return (
            f"--velero-version {version}: newer than the Velero this tool knows ({known_range()}); "
            "--allow-newer-version checks it anyway, its new fields unknown"
        )
    return None


def newer_note(version: Version) -> str:
    return (
        f"Velero {version.minor_text} is newer than this tool knows ({known_range()}): fields added "
        "since are unknown to it and denied as unknown fields (--field-validation warn lets them through)"
    )
