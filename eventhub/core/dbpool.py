"""The database pool's health check, at most every few seconds per connection.

With ``CONN_HEALTH_CHECKS`` and a psycopg pool, Django has the pool send an
empty query on every checkout: one more round trip per request, a fourth
for a gate scan that otherwise needs three. ``pool_check_when_stale`` keeps
the check but skips it for a connection checked less than
``POOL_CHECK_SECONDS`` (5 s) ago: a connection broken by a database restart
within that time fails one request and is then discarded by the pool.
"""

import time
import weakref

from django.db import connections
from django.db.backends.signals import connection_created
from psycopg_pool import ConnectionPool

POOL_CHECK_SECONDS = 5.0
_checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def pool_check_when_stale(conn) -> None:
    """``ConnectionPool.check_connection``, skipped when done lately on ``conn``."""
    now = time.monotonic()
    last = _checked.get(conn)
    if last is not None and now - last < POOL_CHECK_SECONDS:
        return
    ConnectionPool.check_connection(conn)
    _checked[conn] = now


def _use_stale_check(sender, connection, **kwargs) -> None:
    pool = getattr(connection, "_connection_pools", {}).get(connection.alias)
    if pool is not None and getattr(pool, "_check", None) is ConnectionPool.check_connection:
        pool._check = pool_check_when_stale


def install() -> None:
    """Swap the check of every pool as soon as its first connection is made."""
    connection_created.connect(_use_stale_check, dispatch_uid="eventhub-pool-check")
    for connection in connections.all(initialized_only=True):
        _use_stale_check(None, connection)
