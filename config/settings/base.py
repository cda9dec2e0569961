"""Settings shared by every environment. Everything that differs comes from the
environment (see docs/deploy.md for the list)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime state of a local installation: SQLite file, broker folder, uploads.
VAR_DIR = Path(os.environ.get("SANGSAENG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "common",
    "cms",
    "indicators",
    "competitions",
    "projects",
    "funding",
    "inspections",
    "closeout",
    "reporting",
    "reporting.spreadsheets",
    "reporting.evaluation",
    "notifications",
    "calendars",
    "announcements",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.SangsaengUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "import_export",
    "django_celery_results",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "auditlog",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: strict on the site, what Wagtail needs on /admin/.
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.KoreanFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sends city managers and reviewers to the second step before any admin page.
    "accounts.middleware.TwoFactorMiddleware",
    # Puts the signed-in user (and address) on every audit trail entry of the request.
    "common.audit.RequestAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A lost database connection answers with a clear page (503), not a 500.
    "common.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's form renderer with the plain <input> written without its three
# templates (common/form_renderer.py): a tenth of a proposal form's CPU time.
FORM_RENDERER = "common.form_renderer.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Per process (LocMemCache) on one machine; shared (Redis) as soon as
# SANGSAENG_CACHE_URL is set, which production requires unless the installation
# says it is one node (config/settings/production.py). Two aliases, one Redis
# database, kept apart by their key prefixes: give the cache a Redis database of
# its own (not the broker's), as a restore clears it whole.
SANGSAENG_CACHE_URL = os.environ.get("SANGSAENG_CACHE_URL", "").strip()


def _cache(prefix: str, **local) -> dict:
    if SANGSAENG_CACHE_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SANGSAENG_CACHE_URL,
            "KEY_PREFIX": f"sangsaeng:{prefix}",
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **local}


CACHES = {
    # Roll-ups, the one-page outcomes PDF and Wagtail's own (site root paths):
    # keyed by data stamps, so every node sees the same value.
    "default": _cache("default"),
    # The admin's sidebar as each person last saw it (common/admin_chrome.py):
    # a deploy or a restart starts it afresh.
    "admin-chrome": _cache(
        "admin-chrome", LOCATION="admin-chrome", OPTIONS={"MAX_ENTRIES": 5000}
    ),
}
# Sessions stay in the database (Django's default, named here so no one moves
# them into a per-process cache): every node reads the same sign-ins.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sangsaeng.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs a web server, a worker and beat against one SQLite file:
    # WAL and immediate transactions keep them from tripping over each other.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
# Read replica (docs/deploy.md, "Read replica"): a PostgreSQL streaming replica
# that the open-data API and the public outcomes pages may read from
# (common/replica.py). Unset, everything reads and writes on default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable replica costs a request two seconds once, then the
        # probe sends public reads to default.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests read the test database through it, never a real replica.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.PublicReadRouter"]
# A replica further behind than this (seconds of replay lag) is not used.
SANGSAENG_REPLICA_MAX_LAG_S = float(os.environ.get("SANGSAENG_REPLICA_MAX_LAG_S", "30"))
# How often a process asks the replica how far behind it is (seconds).
SANGSAENG_REPLICA_PROBE_S = float(os.environ.get("SANGSAENG_REPLICA_PROBE_S", "1"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in for a username/address pair after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for
# 15 minutes; a success clears the count. Other users at the same office
# (one NAT address) are not locked out by one person's typos.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client's address, not the reverse proxy's: taken from X-Forwarded-For as
# the trusted proxies set it, and only when DJANGO_TRUSTED_PROXY_COUNT says how
# many there are (docs/deploy.md). With none, the header is never believed.
SANGSAENG_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
# Password-reset mails: at most this many per typed address and per client
# address in the window (accounts.services.password_reset_request_record).
SANGSAENG_PASSWORD_RESET_LIMITS = {
    "per_address": 3,
    "per_client": 10,
    "window": timedelta(hours=1),
}
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# Two-factor sign-in (django-otp, TOTP). Users of these roles (and superusers,
# when city managers are listed) must enrol and enter a code before any admin
# page; anyone else who enrolled is asked for a code too. An empty tuple switches
# two-factor sign-in off for everyone. See accounts/twofactor.py.
SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager", "reviewer")
OTP_TOTP_ISSUER = "Sangsaeng"
# After n wrong codes in a row a device waits 2**(n-1) seconds (1, 2, 4, … up
# to django-otp's cap) before it checks another code, right or wrong.
OTP_TOTP_THROTTLE_FACTOR = 1
# Publishing results and reopening a locked month ask for the password (and the
# code) again unless the person re-entered them this recently (seconds).
SANGSAENG_REAUTH_MAX_AGE = 5 * 60

# Content-Security-Policy (django-csp 4), enforced everywhere. The public site
# loads nothing from elsewhere and runs no inline code but a page's own
# <script>/<style> element carrying the request's nonce (request.csp_nonce).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# The Wagtail admin (every path under /admin/) needs more, measured in Chromium
# on the dashboard, page editor (with preview, choosers, rich text), reports,
# review, evaluation and user screens: Wagtail 8 still writes inline <script>
# elements for InlinePanel, date and document choosers, and its bundles insert
# <style> elements and style attributes (wagtail/wagtail#1288, #12940); the
# preview is an iframe of the admin itself; image previews use blob: and data:.
# Still nothing from another origin, no eval, no plugins, no <base>.
SANGSAENG_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF],
        "frame-src": [SELF],
    },
}

# Argon2id first, as OWASP and Django's documentation advise: memory-hard, and
# about a third of PBKDF2's CPU time per sign-in here (0.2 s against 0.57 s),
# which matters when every district signs in before a deadline. Passwords
# stored with PBKDF2 still work and are re-hashed with Argon2 at the next
# sign-in.
PASSWORD_HASHERS = [
    # Argon2id at OWASP's minimum (docs/security.md); Django's own Argon2 (older
    # hashes) is the same algorithm and verifies through it.
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first, English complete. Public pages switch by cookie (set_language),
# the admin follows each user's own language preference.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "assets"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Proposal attachments, report uploads, pending previews and generated reports:
# never public, served only by views that ask the access module first. Every
# file goes through Django's storage API (storages["private"], storages["default"]),
# so the same code runs on a local folder, a NAS mount shared by every node, or
# S3-compatible object storage (docs/deploy.md, "Files and cache across nodes").
PRIVATE_STORAGE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", VAR_DIR / "private"))
SANGSAENG_STORAGE = os.environ.get("SANGSAENG_STORAGE", "filesystem").strip().lower()
# With S3: a private file's download may answer with a redirect to a signed
# address valid SANGSAENG_S3_SIGNED_SECONDS, given only after the access check;
# off (the default), the application streams the file itself.
SANGSAENG_S3_SIGNED_REDIRECT = env_bool("SANGSAENG_S3_SIGNED_REDIRECT", False)
SANGSAENG_S3_SIGNED_SECONDS = 60


def _s3_storages() -> dict:
    """Private files under ``private/`` (signed 60-second addresses, never a
    public ACL, never overwritten) and public media under ``media/`` of one
    bucket. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."""
    from django.core.exceptions import ImproperlyConfigured

    bucket = os.environ.get("SANGSAENG_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            "SANGSAENG_STORAGE=s3 needs SANGSAENG_S3_BUCKET (and "
            "SANGSAENG_S3_ENDPOINT_URL for a store other than AWS)."
        )
    endpoint = os.environ.get("SANGSAENG_S3_ENDPOINT_URL", "").strip() or None
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": os.environ.get("SANGSAENG_S3_REGION", "ap-northeast-2"),
        "signature_version": "s3v4",
        # Korean public clouds' and MinIO's stores answer path-style addresses.
        "addressing_style": os.environ.get(
            "SANGSAENG_S3_ADDRESSING_STYLE", "path" if endpoint else "auto"
        ),
        "default_acl": None,
        "file_overwrite": False,
        # A file read for streaming stays in memory up to this size, then goes
        # to a temporary file (never to the private folder).
        "max_memory_size": 10 * 1024 * 1024,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "media",
                "querystring_auth": False,
                "custom_domain": os.environ.get("SANGSAENG_S3_MEDIA_DOMAIN") or None,
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": SANGSAENG_S3_SIGNED_SECONDS,
            },
        },
    }


def _filesystem_storages() -> dict:
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
        },
    }


if SANGSAENG_STORAGE not in {"filesystem", "s3"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SANGSAENG_STORAGE is {SANGSAENG_STORAGE!r}: set it to filesystem or s3."
    )
STORAGES = {
    **(_s3_storages() if SANGSAENG_STORAGE == "s3" else _filesystem_storages()),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def _public_media_origin() -> str | None:
    """Where the browser fetches public images from when they live in S3: the
    media domain (a proxy or CDN in front of ``media/``) or the store itself."""
    from urllib.parse import urlsplit

    options = STORAGES["default"].get("OPTIONS", {})
    if SANGSAENG_STORAGE != "s3":
        return None
    if options.get("custom_domain"):
        return f"https://{options['custom_domain']}"
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return f"{parts.scheme}://{parts.netloc}"
    region = options["region_name"]
    return f"https://{options['bucket_name']}.s3.{region}.amazonaws.com"


if _media_origin := _public_media_origin():
    # Public pages' images come from the store (private files never do).
    for _policy in (CONTENT_SECURITY_POLICY, SANGSAENG_ADMIN_CONTENT_SECURITY_POLICY):
        _policy["DIRECTIVES"]["img-src"] = [
            *_policy["DIRECTIVES"]["img-src"],
            _media_origin,
        ]

# Wagtail documents are always streamed by Wagtail's view (which checks a
# collection's privacy), never a redirect to the store's address.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The monthly report template's sheet and workbook protection. Not a secret and
# not security (anyone can look it up or strip it): it stops casual edits such as
# inserting rows; the upload finds its cells by their hidden keys regardless.
SPREADSHEET_TEMPLATE_PASSWORD = os.environ.get(
    "SANGSAENG_TEMPLATE_PASSWORD", "sangsaeng"
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "sangsaeng@localhost")

# Celery. Production and CI: Redis. The demo: kombu's filesystem transport in
# var/broker, so nothing but Python is needed.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands a message a worker took but never acknowledged (the worker
    # died) to another worker after this many seconds; kombu's default is an
    # hour. Longer than any task runs here (a task outliving it is delivered
    # twice, and job tasks ignore the second delivery: common/services.py).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600")),
    # A broker host that does not answer at all (a network fault, not a
    # refusal) is given up after this many seconds instead of the system's
    # two minutes: a web worker still starts (config/warm.py), and a submit
    # whose notice cannot be queued still completes — the notice waits in
    # the outbox and beat sends it (notifications_retry_due).
    "socket_connect_timeout": 5,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only once it has finished, so a worker killed in the
# middle hands it back to the broker instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Monthly report reminders (due soon, due today, overdue); CELERY_TIMEZONE
    # makes this 09:00 in Seoul.
    "reporting-send-report-reminders": {
        "task": "reporting.tasks.send_report_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Background jobs with no sign of life for SANGSAENG_JOB_STALE_AFTER are
    # failed with a message (a worker restarting recovers its own at once).
    # Uploads previewed and never confirmed: deleted after a day.
    "reporting-delete-stale-uploads": {
        "task": "reporting.spreadsheets.tasks.delete_stale_uploads",
        "schedule": crontab(minute=41),
    },
    # Rosters past their retention period: destroyed and recorded, at 03:30 Seoul.
    "reporting-destroy-expired-rosters": {
        "task": "reporting.tasks.destroy_expired_rosters",
        "schedule": crontab(hour=3, minute=30),
    },
    # Notices: the daily digest at 09:00 in Seoul; failed mails tried again
    # after their back-off (notifications/services.py).
    "notifications-send-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=9, minute=0),
    },
    "notifications-retry-failed": {
        "task": "notifications.tasks.retry_failed_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # Settlements due within SANGSAENG_SETTLEMENT_REMINDER_DAYS, and overdue:
    # each reminded once per project, at 09:10 in Seoul.
    "funding-send-settlement-reminders": {
        "task": "funding.tasks.send_settlement_reminders",
        "schedule": crontab(hour=9, minute=10),
    },
    "common-fail-stale-jobs": {
        "task": "common.tasks.fail_stale_jobs",
        "schedule": crontab(minute=17),
    },
}
SANGSAENG_JOB_STALE_AFTER = timedelta(hours=2)
# The first settlement reminder goes out this many days before the due day.
SANGSAENG_SETTLEMENT_REMINDER_DAYS = int(
    os.environ.get("SANGSAENG_SETTLEMENT_REMINDER_DAYS", "7")
)
# Participant rosters are kept this many days after a project's last month
# (settlement, evaluation and audit need them), then destroyed and recorded in
# the destruction ledger (파기 대장).
SANGSAENG_ROSTER_RETENTION_DAYS = int(
    os.environ.get("SANGSAENG_ROSTER_RETENTION_DAYS", "365")
)

# The product's name in the reader's language ("상생" / "Sangsaeng"), never
# both at once; the admin's tab, sign-in page, dashboard and sidebar show it
# with the city's logo (templates/wagtailadmin/, common/templatetags/branding.py).
WAGTAIL_SITE_NAME = gettext_lazy("Sangsaeng")
# The city's logo in the admin: a static file's path, or a full address
# (https://… or /media/…). Empty: the product's emblem.
SANGSAENG_BRAND_LOGO = os.environ.get("SANGSAENG_BRAND_LOGO", "")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "hwp", "hwpx", "docx", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's "what's new in Wagtail" banner links its English release notes:
# nothing for a district officer or a city manager.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars fetched from an outside service: it leaks who signs in, and the
# city's network may not reach it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False

IMPORT_EXPORT_USE_TRANSACTIONS = True
# A proposal title such as "=HYPERLINK(…)" is exported as text, never as a formula.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# The audit trail (common/audit.py registers what it records): changes kept as
# JSON values, not strings, so the trail screen shows them as the fields do.
AUDITLOG_STORE_JSON_CHANGES = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    # Wagtail's in-process tasks log every reference-index update at INFO.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
