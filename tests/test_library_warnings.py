"""No English warnings from libraries reach the user (issue 25, item 5).

cryptography marks its DSA key class deprecated, and pyHanko imports it, so every command that loads pyHanko used
to print a `CryptographyDeprecationWarning` in English. `referat.signing` filters exactly that warning where
pyHanko is imported. Each command that loads pyHanko runs here in its own Python with warnings shown
(`-W default`, `PYTHONWARNINGS=default`), and must print no warning; the control shows that the same Python does
print it when pyHanko is imported without referat.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_meeting
from pki import PASSWORD, Pki

ITEMS = {
    "01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\nbeslutning: Godkendt\n",
    "02-botilbud.yaml": "titel: Nye botilbud i regionen\ntype: beslutning\nsagsnummer: ''\n"
                        "sagsfremstilling: |\n  Der foreslås tre nye botilbud til unge.\n"
                        "indstilling: [Godkender de nye botilbud]\nbeslutning: Godkendt\n",
}
CORRECTION = ("rettet_af: Sekretariatet\nbegrundelse: Antallet af botilbud var gengivet forkert.\n"
              "rettelser:\n  - punkt: '2'\n    tekst: I sagsfremstillingen rettes 'tre' til 'to' botilbud.\n")
RUN = ("import sys\nfrom referat.cli import main\ncode = main(sys.argv[1:])\n"
       "print('pyHanko indlæst' if 'pyhanko' in sys.modules else 'pyHanko ikke indlæst')\nsys.exit(code)\n")
ENGLISH = ("Warning", "warning:", "deprecated")


def referat(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A referat command in a Python of its own that shows every warning, as a user with PYTHONWARNINGS set sees."""
    env = {**os.environ, "PYTHONWARNINGS": "default", "REFERAT_CERT_PASSWORD": PASSWORD, "REFERAT_PROGRESS": "0"}
    return subprocess.run([sys.executable, "-W", "default", "-c", RUN, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_commands_that_load_pyhanko_print_no_english_warning(pki: Pki, tmp_path: Path) -> None:
    folder = write_meeting(tmp_path / "møde", ITEMS, fase="referat")
    out, archive = tmp_path / "output", tmp_path / "arkiv"
    correction = tmp_path / "rettelse.yaml"
    correction.write_text(CORRECTION, encoding="utf-8")
    steps: list[tuple[tuple[object, ...], int]] = [
        (("build", folder, "--dokument", "referat", "--format", "pdf", "--out", out), 0),
        (("sign", out / "referat.pdf", "--cert", pki.formand, "--out", tmp_path / "underskrevet.pdf",
          "--rolle", "formand"), 0),
        (("archive", "add", folder, tmp_path / "underskrevet.pdf", "--arkiv", archive, "--rodcertifikat",
          pki.root_pem), 0),
        (("archive", "list", "--arkiv", archive), 0),
        (("archive", "verify", "--arkiv", archive), 0),
        (("decisions", "--arkiv", archive), 0),
        (("correction", "build", folder, correction, "--arkiv", archive, "--out", out), 0),
        (("sign", out / "rettelse.pdf", "--cert", pki.sekretariat, "--out", tmp_path / "rettelse-underskrevet.pdf"),
         0),
        (("correction", "archive", folder, correction, tmp_path / "rettelse-underskrevet.pdf", "--arkiv", archive,
          "--rodcertifikat", pki.root_pem), 0),
        (("archive", "renew", "--arkiv", archive), 1),  # B-B files and no timestamp server: named, exit 1
    ]
    loaded = []
    for args, expected in steps:
        result = referat(*args, cwd=tmp_path)
        assert result.returncode == expected, (args, result.stderr)
        assert not any(word in result.stderr for word in ENGLISH), (args, result.stderr)
        if "pyHanko indlæst" in result.stdout:
            loaded.append(args[0] if args[0] not in ("archive", "correction") else f"{args[0]} {args[1]}")
    # these load pyHanko here, so the check above is about them ('archive list' and 'decisions' read manifests
    # only and do not load it at all: no warning either way)
    assert {"sign", "archive add", "archive verify", "archive renew", "correction archive"} <= set(loaded), loaded


def test_the_warning_is_there_without_referats_filter(tmp_path: Path) -> None:
    """The control: the Python above prints cryptography's warning when pyHanko is imported on its own."""
    import cryptography

    major = int(cryptography.__version__.split(".")[0])
    if major < 47:  # pragma: no cover - older cryptography did not deprecate DSA
        pytest.skip("denne cryptography udsender ikke DSA-advarslen / this cryptography has no DSA warning")
    result = subprocess.run([sys.executable, "-W", "default", "-c", "import pyhanko.sign.signers"], cwd=tmp_path,
                            env={**os.environ, "PYTHONWARNINGS": "default"}, capture_output=True, text=True,
                            timeout=120, check=False)
    assert "CryptographyDeprecationWarning: DSA is deprecated" in result.stderr
