#!/usr/bin/env bash
# Sets up everything on a fresh machine (only Python 3.11+ needed), then runs what was asked:
#   ./dev.sh demo [options]   solve the embedded demo county and print the roster and KPIs
#   ./dev.sh test [pytest options]   lint (ruff), then run the test suite (installs Debian's chromium for the report test
#                                    and LibreOffice for the print test when it can)
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

# The report's browser test (tests/test_report.py) drives Debian's chromium through its chromedriver;
# a CJK font makes its screenshot readable. Installed only when missing, only as root with apt-get;
# without them the test is skipped and says why, so setup never fails here.
browser_for_tests() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "» no chromium/chromedriver and no root apt-get: the report's browser test will be skipped" >&2
    return 0
  fi
  echo "» installing Debian's chromium, chromium-driver and fonts-wqy-microhei for the report's browser test" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -q chromium chromium-driver fonts-wqy-microhei \
      || { apt-get update -q && apt-get install -y -q chromium chromium-driver fonts-wqy-microhei; }; } >/dev/null 2>&1 \
    || echo "» could not install chromium with apt-get: the report's browser test will be skipped" >&2
}

# The print test (tests/test_print.py) converts the demo's workbooks and notice to PDF with Debian's
# LibreOffice, headless; same rules: installed only when missing, only as root with apt-get, else skipped.
office_for_tests() {
  command -v soffice >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "» no LibreOffice (soffice) and no root apt-get: the print-to-PDF test will be skipped" >&2
    return 0
  fi
  echo "» installing Debian's libreoffice-calc, libreoffice-writer (headless) and fonts-wqy-microhei for the print-to-PDF test" >&2
  export DEBIAN_FRONTEND=noninteractive
  local packages="libreoffice-calc libreoffice-writer fonts-wqy-microhei"
  { apt-get install -y -q --no-install-recommends $packages \
      || { apt-get update -q && apt-get install -y -q --no-install-recommends $packages; }; } >/dev/null 2>&1 \
    || echo "» could not install LibreOffice with apt-get: the print-to-PDF test will be skipped" >&2
}

command=${1:-demo}
shift || true
case "$command" in
  demo) exec "$VENV/bin/assign" demo "$@" ;;
  test)
    browser_for_tests
    office_for_tests
    echo "» ruff check (lint and import order; settings in pyproject.toml)" >&2
    "$VENV/bin/ruff" check .
    exec "$VENV/bin/python" -m pytest "$@" ;;
  assign) exec "$VENV/bin/assign" "$@" ;;
  *) echo "usage: ./dev.sh demo|test|assign [args...]" >&2; exit 2 ;;
esac
