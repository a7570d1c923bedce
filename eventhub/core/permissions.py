"""Who may do what at an event: the one helper every staff API, view and consumer uses.

Roles are per event (``StaffRole``). An organizer of the event, or a Django
superuser, passes every role check of that event.

The roles a user holds at an event are remembered per process for
``STAFF_AUTH_CACHE_SECONDS`` (30 s by default, the same time as the API
tokens, ``eventhub/core/authentication.py``): a gate scan pays no query for
them. Granting or revoking a role (saving or deleting a ``StaffRole``, or
saving the user) takes effect at once in the process that did it and within
that time in every other server process.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import get_object_or_404
from rest_framework.permissions import IsAuthenticated

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import Event, StaffRole

Role = StaffRole.Role


# (user id, event id) -> (roles, expires at on the monotonic clock)
_roles: dict[tuple[int, int], tuple[frozenset, float]] = {}
MAX_ROLE_ENTRIES = 10_000


def _now() -> float:
    return time.monotonic()


def _cache_seconds() -> float:
    return float(getattr(settings, "STAFF_AUTH_CACHE_SECONDS", 30.0))


def user_event_roles(user, event_id: int) -> set[str]:
    """The roles ``user`` holds at the event (empty for anonymous users).

    Remembered per process for a short time (see the module docstring).
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    key = (user.pk, event_id)
    hit = _roles.get(key)
    if hit is not None and hit[1] > _now():
        return set(hit[0])
    # order_by(): the model's default ordering would join Event and User
    # on every staff request (each gate scan) for nothing.
    held = frozenset(
        StaffRole.objects.filter(user_id=user.pk, event_id=event_id)
        .order_by()
        .values_list("role", flat=True)
    )
    if len(_roles) >= MAX_ROLE_ENTRIES:
        _roles.clear()
    _roles[key] = (held, _now() + _cache_seconds())
    return set(held)


def forget_roles(*, user_id: int | None = None) -> None:
    """Drop this process's remembered roles of one user, or of everyone."""
    if user_id is None:
        _roles.clear()
        return
    for key in [key for key in _roles if key[0] == user_id]:
        _roles.pop(key, None)


@receiver([post_save, post_delete], sender=StaffRole, dispatch_uid="eventhub-role-cache")
def _role_changed(sender, instance, **kwargs):
    forget_roles(user_id=instance.user_id)


@receiver(
    [post_save, post_delete], sender=settings.AUTH_USER_MODEL, dispatch_uid="eventhub-role-user"
)
def _user_changed(sender, instance, **kwargs):
    forget_roles(user_id=instance.pk)


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
