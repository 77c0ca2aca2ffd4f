"""`referat serve DIR`: the live preview and minute-taking page in the browser."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

Command = Callable[..., argparse.ArgumentParser]


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et portnummer (0–65535)")
    return int(text)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..app.serve import serve  # the server libraries are imported only by this command
    from . import archive_arg

    path = Path(args.mappe)
    folder = path.parent if path.name == "møde.yaml" and path.is_file() else path
    serve(folder, args.host, args.port, not args.ingen_browser,
          [Path(p) for p in getattr(args, "skabeloner", None) or []], archive=archive_arg(args))
    return 0


def register(command: Command) -> None:
    p = command("serve", cmd_serve, "Forhåndsvisning og referatskrivning i browseren; opdateres, mens du skriver.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--port", type=_port, default=0, help="port (standard: en ledig)")
    p.add_argument("--host", default="127.0.0.1",
                   help="adresse at lytte på (standard: 127.0.0.1, kun denne maskine); 0.0.0.0 deler på netværket, "
                        "stadig kun med nøglen")
    p.add_argument("--ingen-browser", action="store_true", help="åbn ikke browseren")
    from . import archive_option

    archive_option(p)
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
