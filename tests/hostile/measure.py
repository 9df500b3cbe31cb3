"""Run `checker ARGS` in this process and measure it: `python -m tests.hostile.measure OUT [--delete-after-discovery PATH] -- ARGS`.

Writes JSON to OUT: the exit code, the seconds spent in the checker (interpreter start-up and
imports excluded) and the peak resident memory above the resident memory once the checker is
imported. With --delete-after-discovery, PATH is removed once the pages have been found and
before any is read, as if another process deleted it in the middle of the run.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
from pathlib import Path


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_kib() -> int:
    """Peak resident memory of this process. On Linux from VmHWM, because ru_maxrss survives
    exec and would report the parent's peak."""
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def current_kib() -> int:
    current = _status_kib("VmRSS")
    return current if current is not None else peak_kib()


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    separator = argv.index("--")
    options, args = argv[1:separator], argv[separator + 1 :]
    import checker.cli
    import checker.commands.check
    import checker.lint.engine
    import checker.project.discovery

    if options[:1] == ["--delete-after-discovery"]:
        doomed = Path(options[1])
        discover = checker.project.discovery.discover

        def discover_then_delete(*a: object, **k: object) -> checker.project.discovery.Discovery:
            found = discover(*a, **k)  # type: ignore[arg-type]
            doomed.unlink()
            return found

        checker.project.discovery.discover = discover_then_delete  # type: ignore[assignment]

    baseline = current_kib()
    start = time.perf_counter()
    code = checker.cli.main(args)
    seconds = time.perf_counter() - start
    # A language server's output is closed when its session ends.
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    result = {"exit": code, "seconds": seconds, "memory_mb": (peak_kib() - baseline) / 1024}
    out.write_text(json.dumps(result))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
