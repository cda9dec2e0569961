"""Messages in one language, the reader's, each with a stable code.

A check or a refusal is written as one gettext string (English msgid, Korean in
the catalogue) and rendered in the language active when it is made: the
request's, or the recipient's for work done outside a request
(``translation.override(accounts.language.preferred_language(user))``).
``CodedMessage`` is that text, still a plain ``str`` for every caller that
shows, joins or stores it, carrying the ``code`` that tests and programs match
on instead of the words.
"""


class CodedMessage(str):
    """A message's text in the reader's language, with its stable ``code``."""

    code: str

    def __new__(cls, text: str, code: str) -> "CodedMessage":
        message = super().__new__(cls, text)
        message.code = code
        return message

    def __reduce__(self) -> tuple[type["CodedMessage"], tuple[str, str]]:
        # Pickled across the parsing child's pipe: keep the code.
        return (CodedMessage, (str(self), self.code))
