"""The password hasher: Argon2id at OWASP's recommended minimum.

Django's default Argon2 parameters (100 MiB, two passes, eight lanes) cost about
a second of CPU a sign-in on a slow 2-core host: on deadline day, when tens of
district officers sign in within minutes, sign-in alone queued everyone else's
pages. OWASP's Password Storage Cheat Sheet recommends Argon2id with at least
19 MiB of memory, two iterations and one degree of parallelism; this hasher uses
exactly that, stated in docs/security.md. The algorithm name stays ``argon2``, so
every stored hash still verifies, and Django rehashes a stored hash made with
other parameters the next time its owner signs in (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB (19,456 KiB), t = 2, p = 1."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
