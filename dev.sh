#!/usr/bin/env bash
# Sets up everything on a fresh machine (only Python 3.11+ needed), then runs what was asked:
#   ./dev.sh demo [options]   solve the embedded demo county and print the roster and KPIs
#   ./dev.sh test [pytest options]   run the test suite
#   ./dev.sh assign ARGS...   run any assign command inside the project's environment
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "» creating $VENV with $($PYTHON --version)" >&2
  "$PYTHON" -m venv "$VENV"
fi
# Reinstall only when the package definition changed since the last install.
if [ ! -f "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
  echo "» installing assign and its dependencies into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e ".[test]" >&2
  touch "$VENV/.installed"
fi

command=${1:-demo}
shift || true
case "$command" in
  demo) exec "$VENV/bin/assign" demo "$@" ;;
  test) exec "$VENV/bin/python" -m pytest "$@" ;;
  assign) exec "$VENV/bin/assign" "$@" ;;
  *) echo "usage: ./dev.sh demo|test|assign [args...]" >&2; exit 2 ;;
esac
