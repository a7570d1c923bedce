"""Test-run environment, loaded with ``-p tests.environment`` (pyproject.toml).

A ``-p`` plugin is imported before pytest-django loads Django's settings, so
these defaults reach ``eventhub/settings.py`` itself: background tasks run
in-process (tests see their e-mails), the public throttles are lifted
(throttle tests set their own rates) and passwords are hashed with MD5
(PBKDF2 costs seconds per user on a loaded machine). Server processes that
tests start (tests/servers.py) inherit ``os.environ``, so they accept the same
hashes. A conftest.py would come too late.
"""

import os

os.environ.setdefault("TASKS_IMMEDIATE", "1")
os.environ.setdefault("THROTTLE_PUBLIC", "100000/min")
os.environ.setdefault("THROTTLE_PUBLIC_WRITE", "100000/min")
os.environ.setdefault("THROTTLE_ADDRESS", "100000/min")
os.environ.setdefault("THROTTLE_STAFF_SEARCH", "100000/min")
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
