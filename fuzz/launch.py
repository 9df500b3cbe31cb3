"""What both fuzz targets share: one command runs a target for ten minutes from its seeds.

`python fuzz/fuzz_page.py` (or `fuzz_config.py`) with no corpus folder named fuzzes into the
target's own corpus folder (`fuzz/corpus/`, `fuzz/config-corpus/`, both ignored by git),
seeded from `fuzz/seeds/` when empty, with the project's limits: ten minutes, 10 s an input,
2 GB. Any libFuzzer flag given on the command line replaces its default here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
DEFAULTS = {"-max_total_time": "600", "-timeout": "10", "-rss_limit_mb": "2048"}


def arguments(argv: list[str], corpus: str, seeds: Path) -> list[str]:
    """`argv` with the defaults it lacks, and the target's corpus folder (made and seeded
    here) when it names none."""
    given = {arg.split("=", 1)[0] for arg in argv[1:] if arg.startswith("-")}
    out = [argv[0], *(f"{flag}={value}" for flag, value in DEFAULTS.items() if flag not in given)]
    out += argv[1:]
    if not any(not arg.startswith("-") for arg in argv[1:]):
        folder = FUZZ / corpus
        folder.mkdir(exist_ok=True)
        if not any(folder.iterdir()):
            for seed in sorted(seeds.iterdir()):
                if seed.is_file():
                    shutil.copyfile(seed, folder / seed.name)
        out.append(str(folder))
    return out
