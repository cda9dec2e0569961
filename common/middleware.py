from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class KoreanFirstLocaleMiddleware(LocaleMiddleware):
    """Korean unless the person chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, so anyone
    with an English browser would get English pages. Here only an explicit choice
    counts: the language cookie set by the switcher (public site). The admin then
    applies each signed-in user's own preference on top.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
