from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Activate the visitor's chosen language, Lithuanian otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    resident whose browser is set to English would meet an English portal
    first. A Lithuanian municipality's portal speaks Lithuanian until the
    visitor picks another language with the switcher (a cookie).

    The language is active only while the request is handled: afterwards the
    thread's previous language is restored (``translation.override``), so that
    whatever the thread runs next (the next request of a worker thread, a test,
    a management command in the same process) does not inherit this visitor's
    language. Responses are rendered inside the block; the only streaming
    response (a stored PDF file) translates nothing while it is streamed.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
