"""`referat publish`: registered by the CLI (see cli._COMMAND_MODULES)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cmd_publish(args: argparse.Namespace) -> int:
    from ..app.publish import publish_site
    from ..diagnostics import UsageError, escape, print_report
    from . import archive_arg

    if not args.moeder:
        raise UsageError("angiv mindst én mødemappe")
    result = publish_site(Path(args.site), [Path(m) for m in args.moeder], archive_arg(args), full=args.fuld,
                          jobs=args.jobs)
    for kept in result.kept:
        print(f"uændret siden sidste udgivelse: {escape(kept)}")
    for path in result.written:
        print(f"skrev {escape(path)}")
    for path in result.removed:
        print(f"slettede {escape(path)} (hører ikke længere til webstedet)")
    print_report(result.report, summary=False)
    return 0


def register(command: Callable[..., Any]) -> None:
    p = command("publish", cmd_publish, "Skriv et statisk websted med de offentlige udgaver af mange møder.")
    p.add_argument("moeder", nargs="+", metavar="MØDEMAPPE", help="mødernes mapper")
    p.add_argument("--site", metavar="MAPPE", required=True, help="webstedets mappe")
    p.add_argument("--fuld", action="store_true",
                   help="byg alle møder igen, også dem, hvis inddata er uændret siden sidste udgivelse")
    jobs_option(p)
    from . import archive_option

    archive_option(p)


def jobs_option(p: Any) -> None:
    """`--jobs N`: how many processes work at once (default: REFERAT_JOBS, else the number of cores)."""

    def positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"'{text}' er ikke et helt tal på mindst 1")
        return int(text)

    p.add_argument("--jobs", type=positive, metavar="N",
                   help="hvor mange processer der arbejder samtidig (standard: antallet af kerner; 1: én ad gangen)")
