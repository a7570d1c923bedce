"""Per-IP throttles for the public API (rates in settings, from the environment)."""

from rest_framework.throttling import SimpleRateThrottle


class PublicRateThrottle(SimpleRateThrottle):
    """Reads of the public API, per client IP, for everyone (staff included)."""

    scope = "public"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicWriteRateThrottle(PublicRateThrottle):
    """Writes of the public API (registrations, bookings), per client IP."""

    scope = "public_write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
