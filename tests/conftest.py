"""Shared fixtures: API clients with staff tokens, rows built once per module,
database clean-up for async tests, and headless Debian Chromium for the
browser tests."""

import contextlib
import os

import pytest
from asgiref.sync import sync_to_async
from django.db import connections, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import EventFactory, StaffRoleFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _fresh_staff_auth_cache():
    """Each test starts with no remembered tokens, roles or public keys: a
    rolled-back test sends no signals, and its ids may come back in the next."""
    from eventhub.core.authentication import forget_all_tokens
    from eventhub.core.permissions import forget_roles
    from eventhub.core.ticket_keys import forget_public_keys

    forget_all_tokens()
    forget_roles()
    forget_public_keys()


@pytest.fixture(autouse=True)
def _stats_sent_at_once(settings):
    """Stats messages go out at once in this process: a coalesced one is sent
    from a timer thread, whose own connection cannot see the rows of a test
    that runs inside a transaction. Tests of the coalescing set it again;
    server processes started by tests coalesce as in production."""
    settings.STATS_COALESCE_SECONDS = 0


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def staff_client(db):
    """``staff_client(event, role)``: an API client authenticated with that role's token."""

    def make(event, role):
        return client_for(StaffRoleFactory(event=event, role=role).user)

    return make


@contextlib.contextmanager
def rows_for_module(django_db_blocker):
    """Keep the rows written inside for the rest of a module, then roll them back.

    For heavy data that a module's tests only read (TestCase.setUpTestData
    in pytest form). Use it in a module-scoped fixture that depends on
    ``django_db_setup``, and only where every test of the module uses that
    fixture: each test still runs in its own savepoint, rolled back after it,
    so what one test writes never reaches the next. Not for
    ``transaction=True`` tests, which commit.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
async def close_db_connections():
    """Close connections opened by async ORM calls in asgiref's thread.

    Without it PostgreSQL test teardown waits on "database is being accessed
    by other users" (STACK-NOTES, trap 2). Request it in async tests.
    """
    yield
    await sync_to_async(connections.close_all)()


# --- Browser tests (pytest-playwright) ---------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture
def phone_context_args():
    """A phone-sized viewport, for the attendee pages."""
    return {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
