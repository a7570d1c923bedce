"""deploy/gunicorn.conf.py: the production profile's WSGI workers are forked
from a master that loaded and warmed the application (no worker's first
request pays Django's lazy start), and nothing in the master opens a
database connection that a fork would share."""

import gc
import importlib.util
import logging
import os
import subprocess
import sys

import pytest
from django.db import OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import clear_url_caches, get_resolver

from tests.servers import ROOT


def load_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy/gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeServer:
    log = logging.getLogger("test.gunicorn")


def test_the_application_is_preloaded_in_the_master():
    assert load_config().preload_app is True


@pytest.mark.django_db
def test_the_master_warms_the_url_tables_without_touching_the_database(
    django_assert_num_queries,
):
    clear_url_caches()
    try:
        with django_assert_num_queries(0):
            load_config().when_ready(FakeServer())
        # The warmed heap is frozen before the fork: no full collection walks it.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # this test process goes on collecting as usual
    resolver = get_resolver()
    assert resolver._populated
    assert "api-station-call-next" in resolver.reverse_dict  # the API's views are imported


def test_an_asgi_worker_loads_warm_and_frozen_and_gc_freeze_0_turns_the_freeze_off():
    script = (
        "import gc, eventhub.asgi; from django.urls import get_resolver; "
        "print(gc.get_freeze_count(), get_resolver()._populated)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eventhub.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)

    def run(**extra) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    frozen, warmed = run()
    assert int(frozen) > 10_000 and warmed == "True"
    assert run(GC_FREEZE="0")[0] == "0"


@pytest.mark.django_db
def test_a_worker_opens_its_database_before_its_first_request_and_gives_it_back(monkeypatch):
    calls = []
    ensure = BaseDatabaseWrapper.ensure_connection

    def opening(conn):
        calls.append(("open", conn.alias))
        return ensure(conn)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", opening)
    monkeypatch.setattr(connections, "close_all", lambda: calls.append(("close", "all")))
    load_config().post_worker_init(object())
    # Opened (a pool fills), then handed back: a request takes it from there.
    assert calls == [("open", "default"), ("close", "all")]


def test_a_worker_starts_even_when_the_database_is_away(monkeypatch, caplog):
    def refused(conn):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refused)
    load_config().post_worker_init(object())  # no exception: the worker serves /healthz
    assert "database was not reachable" in caplog.text
