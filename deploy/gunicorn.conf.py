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
each opens its database pool before it accepts a request. The warmed heap is
then frozen out of the garbage collector's walks (eventhub/core/startup.py):
no worker stalls tens of milliseconds on a full collection of it. Nothing in the
master touches PostgreSQL or Redis: no connection or pool thread crosses a
fork. A code change needs a restart of deploy/serve (a HUP reloads the
configuration, not preloaded code).
"""

import logging

preload_app = True

logger = logging.getLogger("gunicorn.error")


def when_ready(server):
    """In the master, after the application is loaded, before any fork."""
    from eventhub.core.startup import freeze_startup_heap, warm_up

    warm_up()
    freeze_startup_heap()  # after the warm-up, before the fork
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
