#!/usr/bin/env bash
# README command 1: install everything and serve the demo at http://127.0.0.1:8000
# (the development server and the background worker beside it; DEBUG=0 serves
# the collected static files as in production, with HTTPS=0 for plain HTTP).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=${DEBUG:-1}
port=${PORT:-8000}
bash scripts/bootstrap.sh
echo "-- Migrating the database (a few seconds)"
.venv/bin/python manage.py migrate --noinput
echo "-- Loading the demo plan, or finding it loaded (a few seconds)"
.venv/bin/python manage.py load_demo

# The background worker (manage.py worker: the plans' PDFs, never rendered in
# a web request) runs beside the server; when either stops, or the script is
# stopped (Ctrl-C, a TERM), both are stopped.
pids=()
stop() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "-- Starting the background worker (manage.py worker: renders the PDFs)"
.venv/bin/python manage.py worker &
pids+=($!)
echo
echo "PlanPortal: http://127.0.0.1:$port  (demo accounts: admin, staff, council1…council5, resident; password: demo)"
.venv/bin/python manage.py runserver "127.0.0.1:$port" &
pids+=($!)
wait -n "${pids[@]}"
