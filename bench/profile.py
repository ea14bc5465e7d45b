"""`make bench-profile`: py-spy samples the real server under wrk, or the engine alone, and the
functions that take the time are listed (inclusive and own share of the samples).

`python -m bench.profile server|floor|engine [--seconds N]` writes bench/out/profile-<what>.raw
(py-spy's raw format: one stack a line with its count, for flame graph tools) and prints the top.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
from pathlib import Path

from bench import processes, server

OUT = Path("bench/out")
PY_SPY = str(Path(sys.executable).with_name("py-spy"))


def record(pid: int, seconds: int, raw: Path) -> subprocess.Popen[bytes]:
    command = [PY_SPY, "record", "--pid", str(pid), "-d", str(seconds), "-r", "500", "-f", "raw"]
    return subprocess.Popen([*command, "-o", str(raw), "--nonblocking"], stdout=subprocess.DEVNULL)


def profile_server(what: str, seconds: int, raw: Path) -> None:
    files = server.prepare(OUT / "work", 10_000)
    module = ["-m", "webhook", "serve"] if what == "server" else ["-m", "bench.stack_server", "--floor"]
    command = [processes.python(), *module, *server.serve_flags(files)]
    with processes.server(command, OUT / "work" / f"profile-{what}.log", files.ca) as srv:
        server.wrk(srv.port, files, 2)
        spy = record(srv.proc.pid, seconds, raw)
        server.wrk(srv.port, files, seconds + 2)
        spy.wait(timeout=60)


def profile_engine(seconds: int, raw: Path) -> None:
    loop = "from bench.engine import decider; c = decider('sample', 10_000, False)\n"
    loop += f"import time; end = time.time() + {seconds}\nwhile time.time() < end: c()"
    command = [PY_SPY, "record", "-r", "500", "-f", "raw", "-o", str(raw), "--"]
    subprocess.run([*command, processes.python(), "-c", loop], check=True, stdout=subprocess.DEVNULL)


def top(raw: Path, count: int = 40, within: str = "") -> list[str]:
    """The functions most often on the stack, over the stacks that contain `within`."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if within not in stack:
            continue
        frames, n = stack.split(";"), int(samples)
        total += n
        inclusive.update(dict.fromkeys(frames, n))
        own[frames[-1]] += n
    rows = [f"{'incl':>6} {'own':>6}  function (file:line)   [{total} samples]"]
    for frame, n in inclusive.most_common(count):
        rows.append(f"{100 * n / total:5.1f}% {100 * own[frame] / total:5.1f}%  {frame}")
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("server", "floor", "engine"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / f"profile-{args.what}.raw"
    if args.what == "engine":
        profile_engine(args.seconds, raw)
    else:
        profile_server(args.what, args.seconds, raw)
    # the engine's process also imports and builds its index: only the reviews count
    within = "check_write (webhook/engine/decide.py" if args.what == "engine" else ""
    print("\n".join(top(raw, args.top, within)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
