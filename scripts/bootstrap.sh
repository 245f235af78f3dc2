#!/usr/bin/env bash
# Installs what PlanPortal needs on this machine, once; safe to run again.
#   scripts/bootstrap.sh          the portal (Python packages, Pango and fonts for PDFs)
#   scripts/bootstrap.sh --tests  the same plus the test tools and Debian's Chromium
# As root on Debian it installs missing system packages with apt-get; as
# another user it stops and says exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "PlanPortal needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

# --- System packages ---------------------------------------------------------
# WeasyPrint (PDF export) needs Pango and fonts that cover Lithuanian letters;
# msgfmt (gettext) compiles translations; browser tests need Chromium.
missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* >/dev/null 2>&1; }
have_lib libpango-1.0.so || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || missing+=(libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation2 ] || missing+=(fonts-liberation2)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ "$want_tests" = 1 ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  # Playwright's bundled Node.js driver links against libatomic.
  have_lib libatomic.so.1 || missing+=(libatomic1)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "PlanPortal needs these Debian packages; install them and run this again:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    if [ "$want_tests" = 1 ] && [ ${#missing[@]} -eq 1 ] && [ "${missing[0]}" = chromium ]; then
      echo "(Without Chromium the browser tests are skipped.)" >&2
    else
      exit 1
    fi
  fi
fi

# --- Python packages ----------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.planportal-installed
extras=""
[ "$want_tests" = 1 ] && extras="[dev]"
want="$(sha1sum pyproject.toml | cut -c1-40)$extras"
if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extras"
  echo "$want" > "$stamp"
fi

# --- Translations -------------------------------------------------------------
# The compiled .mo files are committed (a fresh machine may lack msgfmt); where
# msgfmt exists we compile again so that a developer's edit of a .po counts.
if command -v msgfmt >/dev/null && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
fi
