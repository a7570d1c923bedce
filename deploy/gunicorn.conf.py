"""gunicorn settings of the production profile (``deploy/serve`` passes
``--config deploy/gunicorn.conf.py``; the bind address and worker count stay on
its command line).

Why: a sync worker that has never served a request pays for Django's lazy
start on its first one — the URLconf imports every view, serializer and
selector module, the translation catalogues load — about 0.5–2 s on the
2-core machine. With 2 x cores workers, each taking its first request at some
moment of the day, a visitor (or a doctor's "call next", and with it every
board) waited that long a few times after each start: the board benchmark's
p99 at 100 sockets was exactly those first requests.

So the application is loaded once, in the master, before the workers fork
(``preload_app``), and warmed there: URLconf resolved, catalogues read. The
workers inherit it all (copy-on-write), start in a fraction of the time, and
each opens its database pool before it accepts a request. Nothing in the
master touches PostgreSQL or Redis: no connection or pool thread crosses a
fork. A code change needs a restart of deploy/serve (a HUP reloads the
configuration, not preloaded code).
"""

import logging

preload_app = True

logger = logging.getLogger("gunicorn.error")


def when_ready(server):
    """In the master, after the application is loaded, before any fork."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    resolver._populate()  # the reverse() tables
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    server.log.info("eventhub: application warmed in the master")


def post_worker_init(worker):
    """In each worker, before its first request: open its database pool."""
    from django.db import connections

    try:
        for conn in connections.all(initialized_only=False):
            conn.ensure_connection()
    except Exception:  # noqa: BLE001 - the first request will try again and report it
        logger.warning("eventhub: the database was not reachable at worker start", exc_info=True)
    finally:
        connections.close_all()
