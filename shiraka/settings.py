"""Shiraka's one settings module. Everything that differs between machines comes from
environment variables (see README, "Configuration")."""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str, data_dir: Path) -> dict:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name` into a DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path)
        # sqlite:///relative.db → "/relative.db" has one slash; sqlite:////abs has two.
        path = raw[1:] if raw.startswith("/") and not raw.startswith("//") else raw[1:]
        if not path:
            path = str(data_dir / "shiraka.sqlite3")
        elif not Path(path).is_absolute():
            path = str(data_dir / path)
        return sqlite_database(Path(path))
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        # Pages ask short questions over a few tables: PostgreSQL's JIT compiler spent most of the
        # time of the largest ones compiling (37 s of 42 on the alerts at 5,000 agreements). The data
        # stays in memory: with the default cost of a random read (4, for spinning disks) the planner
        # read every partnership to sum one region's 2,000 rather than look them up by agreement.
        # `?options=...` in the URL replaces this.
        options.setdefault("options", "-c jit=off -c random_page_cost=1.1")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("SHIRAKA_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"SHIRAKA_DATABASE_URL: unsupported scheme {scheme!r} (sqlite or postgres)")


def sqlite_database(path: Path) -> dict:
    # WAL + IMMEDIATE + a timeout: with several writing processes the default journal
    # answers "database is locked" (DESIGN.md §7).
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA cache_size=-64000;"
            ),
        },
        "TEST": {"NAME": str(path.with_name(path.stem + "-test.sqlite3"))},
    }


def local_settings(path: str) -> dict[str, str]:
    """KEY=VALUE lines of the development checkout's git-ignored `local.env` (written by `make install`
    with a generated key), so that `shiraka …` works there without exporting anything."""
    if not path or not Path(path).is_file():
        return {}
    pairs = (line.split("=", 1) for line in Path(path).read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.strip().startswith("#")}


# Only the debug switch and the key come from the file, and only where the environment is silent.
# The WSGI entry point (gunicorn) empties SHIRAKA_LOCAL_SETTINGS: a served app reads its environment
# alone, so production still refuses to start without a real key.
LOCAL = (
    {}
    if os.environ.get("SHIRAKA_SECRET_KEY")
    else local_settings(os.environ.get("SHIRAKA_LOCAL_SETTINGS", str(PROJECT_DIR / "local.env")))
)
DEBUG = env_bool("SHIRAKA_DEBUG", LOCAL.get("SHIRAKA_DEBUG", "").lower() in {"1", "true", "yes", "on"})
SECRET_KEY = os.environ.get("SHIRAKA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SHIRAKA_SECRET_KEY is not set. Production mode refuses to start without a secret key; "
            "set SHIRAKA_SECRET_KEY, or on a development machine run `make install` (it writes local.env)."
        )
    SECRET_KEY = LOCAL.get("SHIRAKA_SECRET_KEY") or "development-only-key-never-used-when-debug-is-off"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SHIRAKA_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SHIRAKA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

DATA_DIR = Path(os.environ.get("SHIRAKA_DATA_DIR", PROJECT_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads/"

DATABASES = {
    "default": database_from_url(
        os.environ.get("SHIRAKA_DATABASE_URL", "sqlite:///shiraka.sqlite3"), DATA_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "shiraka.core",
    "shiraka.territory",
    "shiraka.organisations",
    "shiraka.accounts",
    "shiraka.agreements",
    "shiraka.projects",
    "shiraka.portfolio",
    "shiraka.followup",
    "shiraka.intake",
    "shiraka.reporting",
    "shiraka.demo",
    "shiraka.operations",
    "shiraka.exchange",
    "shiraka.web",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (large imports): django-tasks with its database backend, so one machine needs no
# Redis; `shiraka db_worker` runs them. SHIRAKA_TASKS_BACKEND=django_tasks.backends.immediate.
# ImmediateBackend runs them inside the request instead (tests, a machine without a worker).
TASKS = {"default": {"BACKEND": os.environ.get("SHIRAKA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shiraka.web.kit.params.BoundedInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shiraka.web.kit.security.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shiraka.core.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shiraka.urls"
WSGI_APPLICATION = "shiraka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shiraka.web.context.access",
            ],
            # After Django's own: its `{% url %}` keeps each address found (kept_urls.py).
            "builtins": ["shiraka.web.templatetags.kept_urls"],
        },
    }
]
# Selects written in Python, the same markup as Django's templates (web/kit/rendering.py).
FORM_RENDERER = "shiraka.web.kit.rendering.FormRenderer"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:dashboard"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the client address is in X-Forwarded-For; without this, one
# person's failures would lock every user out (DESIGN.md §7).
if env_bool("SHIRAKA_BEHIND_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("SHIRAKA_PROXY_COUNT", "1"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads are checked by the services (size and content); these only bound memory use.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
SHIRAKA_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Idle timeout: a session unused for 2 hours ends (the cookie's age, renewed by the requests), so a
# shared office computer left signed in closes itself. Absolute lifetime: 12 hours after the sign-in
# whatever the activity, so a copied session cookie stops working the same day (SessionLifetimeMiddleware).
# The renewal is written at most once a minute, not by every request: a page read writes nothing (on
# SQLite a write waits for every other writer).
SESSION_COOKIE_AGE = int(os.environ.get("SHIRAKA_SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SHIRAKA_SESSION_RENEW_SECONDS = 60
SHIRAKA_SESSION_MAX_AGE = int(os.environ.get("SHIRAKA_SESSION_MAX_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SHIRAKA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SHIRAKA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Figures are cached per process by default; set SHIRAKA_REDIS_URL (and install `redis`) so several
# app processes share one cache and see each other's invalidations at once.
# PostgreSQL prepares the queries compiled once (core.querying); off behind a pooler in transaction mode.
SHIRAKA_PG_PREPARE = os.environ.get("SHIRAKA_PG_PREPARE", "1") != "0"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shiraka"}}
if os.environ.get("SHIRAKA_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["SHIRAKA_REDIS_URL"],
    }

# How long figures cached under their data versions stay (core.cache). With a cache every process
# shares, a write moves the versions they all read: the figures stay until then, an hour at most.
# With each process's own memory, another process cannot see a write: 60 s bounds how long it shows
# figures from before it.
SHIRAKA_FIGURES_SECONDS = int(
    os.environ.get("SHIRAKA_FIGURES_SECONDS") or (3600 if os.environ.get("SHIRAKA_REDIS_URL") else 60)
)

EMAIL_BACKEND = os.environ.get("SHIRAKA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SHIRAKA_FROM_EMAIL", "shiraka@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "shiraka.web.kit.security_log.RequestContext"}},
    "formatters": {
        "security": {
            "format": "%(asctime)s %(levelname)s security: %(message)s user=%(user)s address=%(address)s"
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "security"},
    },
    "loggers": {"shiraka.security": {"handlers": ["security"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHIRAKA_LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True
