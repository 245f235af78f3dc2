#!/usr/bin/env bash
# Installs what PlanPortal needs on this machine, once; safe to run again.
#   scripts/bootstrap.sh          the portal: system packages (Pango and fonts for
#                                 PDFs, gettext), the Python packages, translations,
#                                 static files
#   scripts/bootstrap.sh --tests  the same plus Debian's Chromium and the other
#                                 system packages of the tests
# The Python packages are always the locked development set of uv.lock (the
# runtime packages plus the test and lint tools, exact versions with hashes),
# so serve.sh and test.sh share one installation in .venv/.
# As root on Debian it installs missing system packages with apt-get; as
# another user it stops and says exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

# A line before each step that takes a while: what it does, roughly how long.
step() { echo "-- $*"; }

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "PlanPortal needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

# --- System packages ---------------------------------------------------------
# WeasyPrint (PDF export) needs Pango and fonts that cover Lithuanian letters;
# msgfmt (gettext) compiles translations; browser tests need Chromium.
os_id="" os_version=""
if [ -r /etc/os-release ]; then
  os_id=$(. /etc/os-release && echo "${ID:-}")
  os_version=$(. /etc/os-release && echo "${VERSION_ID:-}")
fi
# Liberation 2 fonts: Debian 12 ships them as fonts-liberation2, under
# liberation2/; from Debian 13 on they are fonts-liberation, under liberation/
# (fonts-liberation2 is only a transitional package there). Debian testing and
# unstable have no VERSION_ID.
liberation_package=fonts-liberation2
if [ "$os_id" = debian ] && { [ -z "$os_version" ] || [ "${os_version%%.*}" -ge 13 ] 2>/dev/null; }; then
  liberation_package=fonts-liberation
fi
have_font() {
  local dir
  for dir in /usr/share/fonts/truetype/liberation2 /usr/share/fonts/truetype/liberation; do
    [ -e "$dir/$1" ] && return 0
  done
  return 1
}

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* >/dev/null 2>&1; }
have_lib libpango-1.0.so || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || missing+=(libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
have_font LiberationSans-Regular.ttf || missing+=("$liberation_package")
command -v msgfmt >/dev/null || missing+=(gettext)
# Debian's Python makes virtual environments only with python3-venv.
[ -x .venv/bin/python ] || "$PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "$want_tests" = 1 ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  # Playwright's bundled Node.js driver links against libatomic.
  have_lib libatomic.so.1 || missing+=(libatomic1)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    step "Updating apt's package lists (about half a minute)"
    apt-get update -qq
    case " ${missing[*]} " in
      *" chromium "*) took="a few minutes with Chromium" ;;
      *) took="about a minute" ;;
    esac
    step "Installing Debian packages: ${missing[*]} ($took)"
    apt_log=$(mktemp)
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1 || {
      cat "$apt_log" >&2
      exit 1
    }
    rm -f "$apt_log"
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
# uv installs uv.lock into .venv/; uv itself is one of the locked packages, and
# the first one is installed with pip against the hashes in uv.lock.
if [ ! -x .venv/bin/python ]; then
  step "Creating the virtual environment .venv/ with $("$PYTHON" --version) (a few seconds)"
  "$PYTHON" -m venv --clear .venv
fi
# uv reads the system's certificates (Debian's ca-certificates), as apt, pip and
# curl do, rather than its own list.
export UV_SYSTEM_CERTS=${UV_SYSTEM_CERTS:-1}
stamp=.venv/.planportal-installed
want="$(cat pyproject.toml uv.lock | sha1sum | cut -c1-40)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -f "$stamp"
  if [ ! -x .venv/bin/uv ]; then
    # The uv of uv.lock, checked against its hashes there. (When .venv/ has
    # another uv, the sync below puts the locked one in its place.)
    .venv/bin/python - > .venv/uv-requirement.txt <<'EOF'
import tomllib

with open("uv.lock", "rb") as f:
    uv = next(p for p in tomllib.load(f)["package"] if p["name"] == "uv")
files = uv.get("wheels", []) + ([uv["sdist"]] if "sdist" in uv else [])
print(f"uv=={uv['version']}", *(f"--hash={f['hash']}" for f in files))
EOF
    step "Installing $(cut -d' ' -f1 .venv/uv-requirement.txt), the installer of uv.lock, with pip (a few seconds)"
    # (pip comes with the venv; ensurepip brings it back if it was removed.)
    .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip >/dev/null
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
      --require-hashes -r .venv/uv-requirement.txt
  fi
  step "Installing the Python packages of uv.lock into .venv/ (up to a minute the first time, for the downloads)"
  # --locked: stop, rather than change uv.lock, when pyproject.toml disagrees with it.
  # --compile-bytecode: the packages' .pyc written once, here. Where
  # PYTHONDONTWRITEBYTECODE is set (this machine kind sets it), Python would
  # otherwise compile Django and every package from source in each new
  # process: about 2.5 s of CPU for every worker, gunicorn worker and test
  # subprocess.
  UV_PROJECT_ENVIRONMENT="$PWD/.venv" .venv/bin/uv sync --locked --extra dev --compile-bytecode \
    --python .venv/bin/python
  echo "$want" > "$stamp"
fi

# --- Translations -------------------------------------------------------------
# The compiled .mo files are committed (a fresh machine may lack msgfmt); where
# msgfmt exists we compile again so that a developer's edit of a .po counts.
if command -v msgfmt >/dev/null && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then
  step "Compiling the translations (a few seconds)"
  .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
fi

# --- Static files -------------------------------------------------------------
# With DEBUG off the pages link to the hashed, compressed copies that
# collectstatic writes to staticfiles/ (STATIC_ROOT) and lists in its manifest;
# without it every page would fail (the server refuses to start, and
# `manage.py check --deploy` says so: planportal/checks.py). Collected once
# for production settings whatever DEBUG is, so that the manifest is there
# (tests/test_deployment.py runs `check --deploy`); with DEBUG on the copies
# are not used. Collected again when static/ or the installed packages
# changed, unless DEBUG is on (serve.sh's default) or for the tests, which
# read static/ itself.
static_root=${STATIC_ROOT:-staticfiles}
manifest="$static_root/staticfiles.json"
case "$(echo "${DEBUG:-0}" | tr '[:upper:]' '[:lower:]')" in
  1 | true | yes | on) debug=1 ;;
  *) debug=0 ;;
esac
if [ ! -f "$manifest" ] || { [ "$debug" = 0 ] && [ "$want_tests" = 0 ] \
  && [ -n "$(find static "$stamp" -newer "$manifest" -print -quit)" ]; }; then
  step "Collecting and compressing the static files into $static_root/ (about a minute)"
  DEBUG=0 .venv/bin/python manage.py collectstatic --noinput --verbosity 0
fi
