"""The files a run reads: paths as given, directories walked, stdin; a file that cannot be read is
an input too (its problem is its result), so one bad path never hides the verdicts on the others.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class Input:
    path: str  # as given, or the file found under a directory given; "-" is stdin
    named: bool  # given by name (or stdin), not found in a directory: then it may be a bare config
    text: str | None = None
    problem: str | None = None  # why it could not be read
    skip: str | None = None  # why there is nothing to read (a directory with no manifest file)


def inputs(paths: Sequence[str], stdin: TextIO) -> Iterator[Input]:
    for path in paths:
        if path == "-":
            yield _read("-", stdin.read, named=True)
        elif Path(path).is_dir():
            yield from _walk(Path(path))
        else:
            yield _read(path, _utf8(path), named=True)


def _walk(top: Path) -> Iterator[Input]:
    """Every *.yaml, *.yml and *.json below `top`, in path order; hidden directories (.git) skipped."""
    found = []
    for where, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(where) / name for name in files if name.endswith(SUFFIXES)]
    for path in sorted(found, key=lambda p: p.parts):
        yield _read(str(path), _utf8(str(path)), named=False)
    if not found:
        yield Input(str(top), named=False, skip=f"a directory with no {', '.join(SUFFIXES)} file in it")


def _read(path: str, read: Callable[[], str], named: bool) -> Input:
    try:
        return Input(path, named, text=read())
    except UnicodeDecodeError as exc:
        return Input(path, named, problem=f"cannot read: not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        return Input(path, named, problem=f"cannot read: {exc.strerror or exc}")


def _utf8(path: str) -> Callable[[], str]:
    return functools.partial(Path(path).read_text, encoding="utf-8")
