#!/usr/bin/env bash
# README command 1: install everything and serve the demo at http://127.0.0.1:8000
# (the development server; DEBUG=0 serves the collected static files as in
# production, with HTTPS=0 for plain HTTP).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=${DEBUG:-1}
bash scripts/bootstrap.sh
echo "-- Migrating the database (a few seconds)"
.venv/bin/python manage.py migrate --noinput
echo "-- Loading the demo plan, or finding it loaded (a few seconds)"
.venv/bin/python manage.py load_demo
echo
echo "PlanPortal: http://127.0.0.1:8000  (demo accounts: admin, staff, council1…council5, resident; password: demo)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
