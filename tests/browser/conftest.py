"""Fixtures of the browser tests."""

from tests.browser.axe import axe_source  # noqa: F401 (a fixture, used by name)
