"""Staff API tokens, remembered per process for a short time.

A gate scanner sends its token with every scan; looking the token and its
user up each time is a round trip per scan for an answer that almost never
changes. ``CachedTokenAuthentication`` keeps the answer (token → user) in
the process for ``STAFF_AUTH_CACHE_SECONDS`` (30 s by default).

Revoking takes effect within that time everywhere, and at once in the
process that revoked: deleting or replacing a token, and saving or deleting
its user (deactivating, a new password), drop the process's entries through
model signals. Another server process still accepts the old token until its
entry expires. Changes that bypass signals (``QuerySet.update``, raw SQL)
also wait for the expiry.
"""

import copy
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

DEFAULT_CACHE_SECONDS = 30.0
MAX_ENTRIES = 10_000

# token key -> (user, token, expires at on the monotonic clock)
_tokens: dict[str, tuple] = {}


def _now() -> float:
    return time.monotonic()


def cache_seconds() -> float:
    """How long a process trusts what it read about a token or a role."""
    return float(getattr(settings, "STAFF_AUTH_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header authentication, remembered per process (see above)."""

    def authenticate_credentials(self, key):
        hit = _tokens.get(key)
        if hit is not None and hit[2] > _now():
            user, token = hit[0], hit[1]
        else:
            user, token = self._look_up(key)
            if len(_tokens) >= MAX_ENTRIES:
                _tokens.clear()
            _tokens[key] = (user, token, _now() + cache_seconds())
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # A copy per request: a view that changes request.user changes only its own.
        return copy.copy(user), token

    def _look_up(self, key):
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return token.user, token


def forget_tokens(*, key: str | None = None, user_id: int | None = None) -> None:
    """Drop this process's entries for a token key, or for every token of a user."""
    if key is not None:
        _tokens.pop(key, None)
    if user_id is not None:
        for cached_key, entry in list(_tokens.items()):
            if entry[0].pk == user_id:
                _tokens.pop(cached_key, None)


def forget_all_tokens() -> None:
    _tokens.clear()


@receiver([post_save, post_delete], sender=Token, dispatch_uid="eventhub-token-cache")
def _token_changed(sender, instance, **kwargs):
    forget_tokens(key=instance.key, user_id=instance.user_id)


@receiver(
    [post_save, post_delete], sender=settings.AUTH_USER_MODEL, dispatch_uid="eventhub-token-user"
)
def _user_changed(sender, instance, **kwargs):
    forget_tokens(user_id=instance.pk)
