"""One env-driven settings module (as in healthchecks).

Development defaults need nothing installed: SQLite under var/, Celery on the filesystem broker.
Production sets DEBUG=false, SECRET_KEY, DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Strict boolean parsing: a typo must not silently turn DEBUG on or off."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "alliance",
    "audit",
    "backups",
    "twofactor",
    "governance",
    "people",
    "allocation",
    "performance",
    "supplychain",
    "mobilisation",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "alliance.middleware.LoginRequiredMiddleware",
    # After sign-in is required and after OTPMiddleware: a signed-in person who owes a second factor sees
    # only the two-factor pages until they pass it (twofactor/selectors.py).
    "twofactor.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "alliance.Person"

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
                "portal.context_processors.navigation_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'alliance.sqlite3'}",
        # Persistent connections: measured on this machine, a one-query view under gunicorn went
        # from about 350 to about 2,500 requests per second (docs/architecture.md).
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the demo database: wait for the write lock rather
    # than failing at once, and take it at BEGIN so read-then-write transactions cannot deadlock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the embedded demo) cannot hold unique constraints with NULLS NOT DISTINCT (performance.Finding); PostgreSQL,
# the production database, does. The findings are written once per quarter under a row lock either way.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Auth -----------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out username before any password is checked, so the right password
# does not open a locked account. Its backend needs the request; API tokens never go through authenticate()
# (DRF's TokenAuthentication looks the key up itself), and the API has no password endpoint.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's passwords and permissions; the session's person loaded with their organisation and alliance.
    "alliance.auth_backends.PersonBackend",
]
# Failed sign-ins: the fifth failure locks the username for 30 minutes (and any attempt during the lock starts
# the 30 minutes again). By username alone, not username+IP: the people worth attacking (the SRO, the
# Alliance Manager, administrators) are few and publicly known, and a guesser with many addresses (a botnet,
# or the users of one corporate proxy, who all share an address behind it) would get five tries per address
# with username+IP. The price is that anyone can lock a known username for half an hour; the lockout page
# says whom to ask, and an administrator lifts a lock with `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for "ip_address" among the parameters. Not here: behind the production proxy every request
# can come from one address, and the client's staff share a few NAT addresses, so a lock by address would lock
# out everyone behind it after five typos. Rotating user agents or cookies, which the warning is about, does
# not change the username that this lock counts.
SILENCED_SYSTEM_CHECKS += ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "twofactor.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True  # a successful sign-in clears the count: five failures in a row lock, not in a life
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept in AccessFailureLog, not only the running count
# The address recorded with each attempt is REMOTE_ADDR (axes' default), not X-Forwarded-For, which a client
# can write itself; it is only logged, since locks go by username.
# Whom a locked-out person should contact (shown on the lockout page).
ACCESS_CONTACT = os.environ.get("ACCESS_CONTACT", "the Alliance Manager or a platform administrator")
# Second factor (django-otp, TOTP): required of the SRO, the Alliance Manager and administrators
# (twofactor/selectors.py), open to everyone. Required whenever DEBUG is off (production); the embedded demo
# (DEBUG on) leaves it optional so that its logins and partners' scripts sign in with the demo password, unless
# TWO_FACTOR_REQUIRED=true, when the demo's privileged logins get a known authenticator secret (alliance/demo.py).
# The tests run with it on. The issuer names the entry in a person's authenticator app.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Alliance governance")

# --- Locale: British English, London time (docs/architecture.md) -----------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder at start-up
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Personal documents (CVs) live outside the static and media roots and have no URL: they are read only through
# views that check permission and log the access (alliance/storage.py).
PRIVATE_FILES_ROOT = Path(os.environ.get("PRIVATE_FILES_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "alliance.storage.PrivateStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "alliance.staticfiles.StaticStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "alliance@localhost")
# Without a timeout a mail server that stops answering holds the sending request or task for ever (and a reminder
# claim past REMINDER_EMAIL_RETRY_SECONDS would be sent twice).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# --- Security -------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A CSRF failure under /api/ answers in the API's JSON error shape; elsewhere Django's page (alliance/error_views.py).
CSRF_FAILURE_VIEW = "alliance.error_views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP on loopback
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content security policy (django-csp 4): nothing from outside the site, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header is what makes DRF answer 401 (not 403) without credentials.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A token is a credential of its own, issued by an administrator to a script: it stays valid without
        # a second factor. A browser session must have passed the second factor it owes (403 otherwise).
        "rest_framework.authentication.TokenAuthentication",
        "twofactor.api_auth.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "alliance.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "alliance.api_support.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "alliance.api_support.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance governance API",
    "DESCRIPTION": "Obligations, decisions, allocation, performance, supply chain and mobilisation "
    "of an infrastructure alliance.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the project's error body for 400/401/403/404 (and 415 with a body), so a client
    # (and schemathesis) can rely on the schema for refusals too; request text says it may not hold NUL.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "alliance.api_support.add_error_responses",
                             "alliance.api_schema.refuse_nul_in_request_strings",
                             "alliance.api_schema.decimals_as_string_or_number"],
    "ENUM_NAME_OVERRIDES": {
        "ObligationKindEnum": "alliance.models.ObligationKind",
        "ObligationStatusEnum": "alliance.models.ObligationStatus",
        "ImprovementPlanStatusEnum": "performance.models.PlanStatus",
        "QuarterStatusEnum": "performance.models.QuarterStatus",
        # A finding's tier and the tier of the client's rights (blank where none arises, para 146).
        "PerformanceTierEnum": "performance.models.Tier",
        "OrganisationKindEnum": "alliance.models.OrganisationKind",
        "MembershipChangeKindEnum": "allocation.models.MembershipChangeKind",
        # A Board decision's outcome, also shown with a business case and a maturity plan.
        "DecisionOutcomeEnum": "governance.models.board.Outcome",
        # A Board decision and a risk are both open or closed: one enum serves both.
        "OpenClosedStatusEnum": "supplychain.models.RiskStatus",
    },
}

# --- Celery ---------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery-broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    # Longer than any task runs; deadlines never ride on delayed tasks (docs/architecture.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How often the reminder sweep runs. It is idempotent, so running it often only makes a missed run
# (a stopped worker, a deploy) cost minutes rather than a day.
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 900)
# A reminder whose email is not confirmed sent this long after its claim (a worker killed between the claim's
# commit and the mail server's reply) is claimed again and re-sent by the next sweep. Longer than any send can
# take (EMAIL_TIMEOUT bounds each connection), so a slow send is not mistaken for a dead one.
REMINDER_EMAIL_RETRY_SECONDS = env_int("REMINDER_EMAIL_RETRY_SECONDS", 900)
DECISION_CLOSE_SWEEP_SECONDS = env_int("DECISION_CLOSE_SWEEP_SECONDS", 30)
# A decided nomination's CV is deleted this many months after the decision (the record stays, without the file).
CV_RETENTION_MONTHS = env_int("CV_RETENTION_MONTHS", 6)

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
