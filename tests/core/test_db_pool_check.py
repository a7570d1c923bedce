"""The pool's health check runs at most every POOL_CHECK_SECONDS per connection."""

from eventhub.core import dbpool


class FakeConnection:
    autocommit = True

    def __init__(self):
        self.pings = 0

    def execute(self, query):
        assert query == ""
        self.pings += 1


def test_a_connection_checked_lately_is_not_pinged_again(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(dbpool.time, "monotonic", lambda: now[0])
    conn = FakeConnection()
    dbpool.pool_check_when_stale(conn)
    assert conn.pings == 1
    now[0] += dbpool.POOL_CHECK_SECONDS - 1
    dbpool.pool_check_when_stale(conn)
    assert conn.pings == 1
    now[0] += 2
    dbpool.pool_check_when_stale(conn)
    assert conn.pings == 2
    other = FakeConnection()
    dbpool.pool_check_when_stale(other)
    assert other.pings == 1
