"""Who may do what at an event: the one helper every staff API, view and consumer uses.

Roles are per event (``StaffRole``). An organizer of the event, or a Django
superuser, passes every role check of that event.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from rest_framework.permissions import IsAuthenticated

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import Event, StaffRole

Role = StaffRole.Role


def user_event_roles(user, event_id: int) -> set[str]:
    """The roles ``user`` holds at the event (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    # order_by(): the model's default ordering would join Event and User
    # on every staff request (each gate scan) for nothing.
    return set(
        StaffRole.objects.filter(user_id=user.pk, event_id=event_id)
        .order_by()
        .values_list("role", flat=True)
    )


def has_event_role(user, event_id: int, *roles: str) -> bool:
    """True when ``user`` holds one of ``roles`` at the event, or organizes it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = user_event_roles(user, event_id)
    return bool(held & ({Role.ORGANIZER, *roles}))


def require_event_role(user, event_id: int, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` holds one of ``roles`` (or organizes)."""
    if not has_event_role(user, event_id, *roles):
        raise PermissionDenied()


def staff_events(user):
    """The events where ``user`` holds any role."""
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(staff_roles__user=user).distinct()


class StaffApiPermissions:
    """Mixin for staff API views: a token (or session) is required, 401 without.

    The role itself is checked by the view with ``require_event_role`` once it
    knows the event, which keeps one code path for API, HTML and sockets.
    """

    permission_classes = [IsAuthenticated]


def event_role_required(*roles: str):
    """Decorate an HTML view taking ``event`` (a slug): login, then role check.

    The view receives the ``Event`` instance instead of the slug.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, event, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event_obj = get_object_or_404(Event, slug=event)
            if not has_event_role(request.user, event_obj.pk, *roles):
                raise DjangoPermissionDenied
            return view(request, event_obj, *args, **kwargs)

        return wrapper

    return decorator
