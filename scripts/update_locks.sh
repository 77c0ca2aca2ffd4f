#!/usr/bin/env sh
# Rewrite the lock files the README's two commands install from: every package pinned, with the sha256 of every
# file PyPI has for that version (pip checks them), resolved for every platform and Python >= 3.11.
#   requirements/referat.txt   what `referat` needs (the README's first command)
#   requirements/test.txt      that and the `test` extra (the second command, and .ci/run)
# Needs uv (`pip install uv`). Run the suite against the new locks (.ci/run) before committing them;
# scripts/drift.py shows what the newest versions would change without touching the locks.
set -eu
cd "$(dirname "$0")/.."
uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --upgrade \
  -o requirements/test.txt --extra test
# the same versions for the smaller set: resolved within the test lock
uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
  -c requirements/test.txt -o requirements/referat.txt
