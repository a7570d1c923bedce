"""EventHub settings: the only settings module.

Every value comes from the environment, with the embedded development default
beside it. With no variable set: SQLite, the in-memory channel layer and
e-mails written to ``var/mail``. ``DJANGO_ENV=production`` turns DEBUG off and
makes ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` mandatory.
``.env.example`` lists every variable.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env("DJANGO_ENV", default="development") == "production"


def required_in_production(name: str, default: str = "") -> str:
    """Read a variable that production must set; fail start-up when it is missing."""
    value = env(name, default="")
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value or default


# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = required_in_production(
    "SECRET_KEY", default="django-insecure-eventhub-development-key-not-for-production"
)
# Signs ticket QR payloads (EH1 format); kept apart from SECRET_KEY so that
# rotating the session secret does not invalidate printed tickets.
TICKET_SIGNING_KEY = env("TICKET_SIGNING_KEY", default="") or SECRET_KEY
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The base of every absolute link (e-mails, PDFs, .ics, QR codes), e.g.
# https://fair.example.org. Unset in development: links then use the host
# and port the request came to (eventhub/core/links.py); `make run` sets it.
SITE_URL = env("SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    # Before the admin, as django-modeltranslation asks: organizer texts in
    # every language of LANGUAGES (translation.py of each app, docs/i18n.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "drf_spectacular_sidecar",
    "eventhub.core",
    "registrations",
    "screenings",
    "eventhub.projects",
    "eventhub.consultation",
    # The roof: composition packages that are apps for their commands and tags.
    "eventhub.journeys",
    "eventhub.kiosks",
    "eventhub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "eventhub.core.i18n.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "eventhub.core.links.SiteUrlMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "eventhub.core.error_handlers.OverloadMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

# --- Content-Security-Policy (django-csp) -----------------------------------
# Scripts and styles only from our own static files: no inline script, no
# CDN. Sockets go to the same host ('self' covers ws:/wss: there); QR codes
# and chart images may be data: URIs; the scanner's camera stream is a blob.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Login lock-out (django-axes) --------------------------------------------
# After LOGIN_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked out for LOGIN_COOLOFF_MINUTES (a 429 page). Only staff
# log in; a whole bus behind one router is never locked out by someone else.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("NUM_PROXIES", default=0) or None

ROOT_URLCONF = "eventhub.urls"
ASGI_APPLICATION = "eventhub.asgi.application"
# HTTP in production (gunicorn, deploy/serve); the ASGI one serves WebSockets
# there, and everything in the one-process embedded profile (`make run`).
WSGI_APPLICATION = "eventhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = required_in_production("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    # Under ASGI every request runs its sync code in a thread of its own, so a
    # persistent connection (CONN_MAX_AGE > 0) is never reused: it stays idle
    # until PostgreSQL refuses new clients. Hence 0 here, and a pool below.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # pytest-django creates test_<name>; a per-checkout name keeps
        # parallel runs on one server apart.
        DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}
        # A request never waits longer than this for a row lock (e.g. the
        # fair's counter in a rush): it answers 503 with Retry-After instead
        # of holding its pooled connection while others queue behind it.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=15000)}"
        )
        # A process-wide pool (psycopg_pool) bounds the connections and
        # skips the connect per request; on by default in production.
        if env.bool("DB_POOL", default=PRODUCTION):
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
                "min_size": env.int("DB_POOL_MIN", default=2),
                "max_size": env.int("DB_POOL_MAX", default=10),
                "timeout": env.int("DB_POOL_TIMEOUT", default=10),
            }
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # A read-then-write transaction waits for the one writer
                # instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL when DJANGO_ENV=production")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ----------------------------------------
REDIS_URL = required_in_production("REDIS_URL")
if REDIS_URL:
    # Redis pub/sub: a group message is published once and each server
    # process fans it out to its own sockets in memory (the list-based
    # RedisChannelLayer pops one Redis entry per socket). Pub/sub does not
    # keep messages for a process that is away; the sequence numbers and
    # snapshots heal that (docs/realtime.md). bench/bench_kiosks.py compares.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": env(
                "CHANNEL_LAYER_BACKEND", default="channels_redis.pubsub.RedisPubSubChannelLayer"
            ),
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env("CHANNEL_PREFIX", default="eventhub")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", default="eventhub"),
            # A Redis that hangs must not hold a request: the throttles then
            # count per process (eventhub/core/throttling.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (e-mail, PDF) ------------------------------------------
# Enqueued after commit so that a request never waits for PDF rendering or
# SMTP. The database backend needs `manage.py db_worker` (started by
# `make run`); TASKS_IMMEDIATE=1 runs them in-process, as the tests do.
if env.bool("TASKS_IMMEDIATE", default=False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- E-mail -----------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="EventHub <noreply@eventhub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Tests set FAST_PASSWORD_HASHER=1 (tests/environment.py): one PBKDF2 hash
# costs seconds on a loaded machine and the suite creates hundreds of users.
# Server processes started by tests inherit it, so they accept those hashes.
if env.bool("FAST_PASSWORD_HASHER", default=False):
    if PRODUCTION:
        raise ImproperlyConfigured(
            "FAST_PASSWORD_HASHER must not be set when DJANGO_ENV=production"
        )
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ro", _("Romanian")), ("sr-latn", _("Serbian (Latin)"))]
# locale-django/: Django's own words as we want them (Romanian months in lower
# case); locale/ comes first, Django's catalogs after both (docs/i18n.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-django"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Bucharest")
USE_I18N = True
# Texts an organizer writes have a column per language (name_en, name_ro,
# name_sr_latn); an empty one falls back to English (docs/i18n.md).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A text created in another language (Model(name=…) while Romanian is active)
# fills the English column too, so that the fallback is never empty.
MODELTRANSLATION_AUTO_POPULATE = "default"
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
if not PRODUCTION:
    # WhiteNoise serves from the finders here; an empty root silences its warning.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the embedded profile), WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- REST API ---------------------------------------------------------------
# Live totals (stats sockets): at most one message per event and part this
# often per server process with Redis; the changes in between go out together
# at the end of the interval (eventhub/core/realtime.py). 0 sends each one.
STATS_COALESCE_SECONDS = 0.2

# How long a server process trusts what it read about an API token and a
# staff member's roles (eventhub/core/authentication.py, permissions.py):
# a revocation reaches every process within this time, its own at once.
STAFF_AUTH_CACHE_SECONDS = 30

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token -> user remembered per process for STAFF_AUTH_CACHE_SECONDS.
        "eventhub.core.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "eventhub.core.error_handlers.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "public": env("THROTTLE_PUBLIC", default="120/min"),
        # A help desk or a whole bus behind one router: 100 people in 10 minutes.
        "public_write": env("THROTTLE_PUBLIC_WRITE", default="100/10m"),
        # E-mails to one address (registering again re-sends the ticket).
        "address": env("THROTTLE_ADDRESS", default="5/h"),
        "staff_search": env("THROTTLE_STAFF_SEARCH", default="120/min"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    # Swagger UI and Redoc from our own static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "EventHub API",
    "DESCRIPTION": "Registration, tickets, check-in, training and screening queues.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Production hardening ---------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "eventhub.core.logs.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
