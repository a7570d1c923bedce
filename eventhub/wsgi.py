"""WSGI entry point: ordinary HTTP (pages, API, downloads) in the production
profile, served by gunicorn's sync workers behind nginx (deploy/serve).

WebSockets go to the ASGI entry point (``eventhub/asgi.py``) in their own
processes; the two meet in PostgreSQL and Redis. A sync worker runs a view
in its own thread with no event loop around it: no thread hops per request,
and a persistent database connection or pool connection per worker.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventhub.settings")
application = get_wsgi_application()
