"""Template filters for the gate's pages."""

from django import template

from registrations.models import ScanLog

register = template.Library()


@register.filter
def scan_result(code: str) -> str:
    """A check-in result code (``already_checked_in``) as the volunteer reads it."""
    try:
        return ScanLog.Result(code).label
    except ValueError:
        return code
