"""`referat publish`: registered by the CLI (see cli._COMMAND_MODULES)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cmd_publish(args: argparse.Namespace) -> int:
    from ..diagnostics import UsageError, escape
    from .site import publish_site

    if not args.site:
        raise UsageError("angiv --site MAPPE")
    if bool(args.moeder) == bool(args.arkiv):
        raise UsageError("angiv enten mødemapper eller --arkiv MAPPE")
    written = publish_site(Path(args.site), [Path(m) for m in args.moeder], Path(args.arkiv) if args.arkiv else None)
    for path in written:
        print(f"skrev {escape(path)}")
    return 0


def register(command: Callable[..., Any]) -> None:
    p = command("publish", cmd_publish, "Skriv et statisk websted med de offentlige udgaver af mange møder.")
    p.add_argument("moeder", nargs="*", metavar="MØDEMAPPE", help="mødernes mapper")
    p.add_argument("--site", metavar="MAPPE", required=True, help="webstedets mappe")
    p.add_argument("--arkiv", metavar="MAPPE", help="tag møderne fra et arkiv (se docs/publication.md)")
