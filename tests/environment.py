"""Test-run environment, loaded with ``-p tests.environment`` (pyproject.toml).

A ``-p`` plugin is imported before pytest-django loads Django's settings, so
these defaults reach ``eventhub/settings.py`` itself: background tasks run
in-process (tests see their e-mails) and the public throttles are lifted
(throttle tests set their own rates). A conftest.py would come too late.
"""

import os

os.environ.setdefault("TASKS_IMMEDIATE", "1")
os.environ.setdefault("THROTTLE_PUBLIC", "100000/min")
os.environ.setdefault("THROTTLE_PUBLIC_WRITE", "100000/min")
