"""The denial message: every error of the decision, in the form kubectl users know, under 32 KiB.

The denial goes back through the API server to kubectl, which prints it whole: past 32 KiB it stops
being read. The engine caps the number of errors (webhook.engine MAX_ERRORS); this caps their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from webhook.engine import ROOT, ErrorType, FieldError, Literal, render_value

MESSAGE_LIMIT = 32 * 1024  # UTF-8 bytes
ERROR_LIMIT = 2048  # one error's text; a longer one shows the start of its value only
SHOWN_VALUE = 200


def denial_message(name: str, errors: Sequence[FieldError]) -> str:
    """apimachinery's `NewInvalid` form: one error bare, several in [..]; the errors that fit in
    MESSAGE_LIMIT, then one that says how many more the list holds."""
    if not errors:
        return ""
    head = f'ConfigMap "{name}" is invalid: '
    texts = _fitting([_short(e) for e in errors], MESSAGE_LIMIT - len(head.encode()) - 2)
    body = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    return head + body


def _short(err: FieldError) -> str:
    text = str(err)
    if len(text) <= ERROR_LIMIT or not err.has_value:
        return text
    shown = render_value(err.value)
    return str(replace(err, value=Literal(f"{shown[:SHOWN_VALUE]}... ({len(shown)} characters)")))


def _fitting(texts: list[str], limit: int) -> list[str]:
    """Whole errors while they fit, keeping room for the last one, which counts the rest."""
    kept: list[str] = []
    size = len(MORE_PATTERN) + 40  # the last error, its numbers at most 20 digits each
    for text in texts:
        size += len(text.encode("utf-8", "surrogatepass")) + 2
        if size > limit:
            more = MORE_PATTERN.format(total=len(texts), more=len(texts) - len(kept))
            return [*kept, more]
        kept.append(text)
    return kept


MORE_PATTERN = str(
    FieldError(
        ErrorType.TOO_MANY,
        ROOT.child("data"),
        "{more} more errors not listed here (the message stays under 32 KiB); "
        "node-agent-webhook validate lists them",
        Literal("{total}"),
    )
)
