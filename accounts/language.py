"""The language a person reads: what their Wagtail profile prefers, else Korean.

Work done outside a request (a Celery task, an e-mail, a job's messages) is
rendered in the recipient's language: ``with translation.override(
preferred_language(user)):``.
"""

from django.conf import settings

DEFAULT_LANGUAGE = "ko"


def preferred_language(user: object) -> str:
    """ "ko" or "en": the language ``user`` chose in their account settings,
    Korean (the product's default) when they chose none or are nobody."""
    if user is None or not getattr(user, "pk", None):
        return DEFAULT_LANGUAGE
    from wagtail.users.models import UserProfile

    language = UserProfile.get_for_user(user).get_preferred_language() or ""
    language = language.split("-")[0].lower()
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else DEFAULT_LANGUAGE
