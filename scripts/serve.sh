#!/usr/bin/env bash
# README command 1: install everything and serve the demo at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DEBUG=${DEBUG:-1}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo
echo "PlanPortal: http://127.0.0.1:8000  (demo accounts: admin, staff, council1…council5, resident; password: demo)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
