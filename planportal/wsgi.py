"""WSGI entry point: ``gunicorn planportal.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planportal.settings")

application = get_wsgi_application()

# With DEBUG off and no collectstatic every page would be a 500: rather stop
# here (gunicorn's workers, runserver), saying what to run.
from planportal.checks import require_collected_static  # noqa: E402

require_collected_static()
