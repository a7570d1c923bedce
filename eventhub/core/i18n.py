"""The language of an API answer: ``?lang=`` wins over ``Accept-Language``.

Texts an organizer writes come in the request's language, falling back to
English (DESIGN.md, docs/i18n.md). LocaleMiddleware has already chosen one
from the cookie and ``Accept-Language``; on the API an explicit ``?lang=``
(``ro``, ``sr-latn``, ``sr-Latn``…) replaces it. An unknown code is ignored.
"""

from django.utils import translation

API_PREFIX = "/api/"


class QueryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get("lang") if request.path.startswith(API_PREFIX) else None
        if not wanted:
            return self.get_response(request)
        try:
            language = translation.get_supported_language_variant(wanted.strip().lower())
        except LookupError:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
