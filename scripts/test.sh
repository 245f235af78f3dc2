#!/usr/bin/env bash
# README command 2: install everything the tests need and run the whole suite.
# Extra arguments go to pytest (for example: scripts/test.sh -k budget).
# DATABASE_URL=postgres://… runs it against PostgreSQL; REQUIRE_BROWSER=1 makes
# a missing Chromium an error instead of a skip (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --tests
if [ $# = 0 ]; then
  echo "-- Running the whole test suite (about ten minutes on two cores)"
else
  echo "-- Running pytest $*"
fi
exec .venv/bin/python -m pytest "$@"
