"""Logging filters of the core."""

import logging

EXPECTED_STATUSES = {401, 403, 404, 405, 429}


class ExpectedRefusalFilter(logging.Filter):
    """Log an expected refusal (wrong role, unknown page) as one line.

    Django attaches the traceback of ``PermissionDenied`` to its
    "Forbidden: /path" warning; a refused request is the app working, not a
    fault, and its traceback only buries the real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EXPECTED_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True
