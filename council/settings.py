"""Settings for the DPRK Council record, read from the environment.

DEBUG is off unless DJANGO_DEBUG says otherwise; with DEBUG off the site refuses to start
without a real DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url):
    """The DATABASES entry for a postgres:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # An unreachable database host fails a request in seconds instead of hanging it.
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")),
            # PostgreSQL's JIT compiler spent ~80 ms compiling the timeline's query, which runs in 2 ms:
            # our queries are small and many, never the long analytic ones JIT pays off for.
            "options": "-c jit=off",
        },
    }


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
elif not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS, e.g. record.example.org.")

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "Set DATABASE_URL (postgres://user:password@host:port/name); `make run` does this for you."
    )
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # whitenoise serves static files under runserver too, so `make run` behaves as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_htmx",
    "council",
    "meetings",
]

MIDDLEWARE = [
    "council.middleware.HeadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "council.middleware.RejectBadBytesMiddleware",
    "council.middleware.CompressionMiddleware",
    # Static files, in development (from the app folders) as in production (collected, hashed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A page already cached for the current record version is served from here (meetings/caching.py).
    "meetings.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "council.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "council.urls"
WSGI_APPLICATION = "council.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetings.context_processors.share_card",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / ".local" / "staticfiles"))
if DEBUG:
    # Development serves static files from the app folders (whitenoise's finders); an
    # uncollected STATIC_ROOT is expected there, not worth a warning on every start.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest needs collectstatic; tests and local runs serve the files as they are.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_flag("DJANGO_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The site's public address (scheme and host, no path), for what leaves the page: citations,
# feeds, the sitemap, share cards. Links inside the site stay relative.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    SITE_URL = f"https://{ALLOWED_HOSTS[0]}" if not DEBUG else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
if urlsplit(SITE_URL).scheme not in {"http", "https"} or urlsplit(SITE_URL).path:
    raise ImproperlyConfigured("DJANGO_SITE_URL is the site's scheme and host, e.g. https://record.example.org.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered pages and downloads (meetings/caching.py): per worker process by default, or in
# one Redis shared by every worker and host when REDIS_URL is set (docs/deploy.md). Searches
# with any words can be asked for, so LocMem is bounded and culls its oldest entries; Redis
# is bounded by its own maxmemory policy.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "record"),
            # A Redis that is away costs a render, not a hung request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_PAGE_CACHE_ENTRIES", "2000"))},
        }
    }
# How long each process trusts the record's version before asking PostgreSQL again: the
# most a page can lag behind a write made elsewhere (meetings/caching.py). 0 asks every time.
RECORD_VERSION_TTL = float(os.environ.get("DJANGO_RECORD_VERSION_TTL", "0" if DEBUG else "1"))
# Render the whole-record downloads in a background thread when a process sees a new version
# of the record, so that no reader waits for them (meetings/prerender.py). Off under DEBUG.
RECORD_PRERENDER = env_flag("DJANGO_RECORD_PRERENDER", not DEBUG)
# Serve those downloads, when this process's page cache lacks them, from the copy the first
# render ahead stored in PostgreSQL for the current version, instead of rendering again.
RECORD_STORED_DOWNLOADS = env_flag("DJANGO_RECORD_STORED_DOWNLOADS", True)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is hard to undo: the deployer opts in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# -- Editors: change history, the Editors group, the locked door (issue 9) -------------
# History of the record is kept by PostgreSQL triggers (django-pghistory on django-pgtrigger);
# failed logins are counted by django-axes.
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["pgtrigger", "pghistory", "axes"]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user name and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Every write made while answering a request is recorded with the user who sent it.
MIDDLEWARE += ["pghistory.middleware.HistoryMiddleware", "axes.middleware.AxesMiddleware"]
# Writes come by POST: a GET must not read the session (which would add Vary: Cookie to public,
# cached pages), so the history's middleware names the user for writing methods only.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# After DJANGO_LOGIN_FAILURE_LIMIT failed logins for one user name from one address, that user
# name is refused from that address for DJANGO_LOGIN_LOCKOUT_MINUTES, even with the right
# password (docs/editors.md). A superuser unlocks by deleting the access attempt in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "council.accounts.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "council.accounts.client_ip"
# How many proxies in front of the site append to X-Forwarded-For (0: use the socket's address).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
# Readers' correction reports accepted from one address in an hour.
CORRECTION_REPORTS_PER_HOUR = int(os.environ.get("DJANGO_CORRECTION_REPORTS_PER_HOUR", "5"))
