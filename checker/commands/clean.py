"""`checker clean`: remove the result cache."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "remove the result cache (.checker_cache at the project root, or --cache-dir); only "
    "files that checker made are removed"
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("clean", help=HELP, description=HELP + ".")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="the cache folder to remove, if `checker check` was given one",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the config whose project root holds the cache (default: found from here)",
    )


def run(args: argparse.Namespace) -> int:
    from checker.lint.cache import CACHE_FOLDER, remove_cache

    if args.cache_dir is not None:
        folder = args.cache_dir
    else:
        from checker.project.config import ConfigFinder

        folder = ConfigFinder(args.config).for_path(Path.cwd() / "page.md").root / CACHE_FOLDER
    removal = remove_cache(folder)
    if not removal.found:
        print(f"no cache at {folder}; nothing to remove")
    elif removal.left:
        shown = ", ".join(removal.left[:5]) + (", ..." if len(removal.left) > 5 else "")
        print(
            f"removed the cache's own files from {folder}; left {len(removal.left)} that "
            f"checker did not make ({shown}), and so the folder"
        )
    else:
        print(f"removed {folder}")
    return 0
