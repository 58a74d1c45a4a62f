"""Django settings for MotCua.

Every setting that changes between deployments comes from a ``MOTCUA_*`` environment variable;
docs/configuration.md lists them all. Nothing here keeps state on the app server's disk other
than through the database and Django's storage API, so several app servers can run side by side.
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]  # new in Django 6.0; not in the stubs yet
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/motcua
PROJECT_DIR = BASE_DIR.parent.parent  # the repository (or the install prefix)
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_time(name: str, default: str) -> time:
    return time.fromisoformat(os.environ.get(name) or default)


def env_periods(name: str, default: str) -> list[tuple[time, time]]:
    """``08:00-12:00,13:00-17:00`` → [(08:00, 12:00), (13:00, 17:00)]."""
    periods = []
    for part in (os.environ.get(name) or default).split(","):
        start, _sep, end = part.strip().partition("-")
        periods.append((time.fromisoformat(start), time.fromisoformat(end)))
    return periods


DEBUG = env_bool("MOTCUA_DEBUG", False)
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MOTCUA_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be set in production")
    # Development and demo only; docs/deployment.md says to set MOTCUA_SECRET_KEY.
    SECRET_KEY = "motcua-insecure-development-key-change-me"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("MOTCUA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "motcua.conf.apps.TasksConfig",
    "motcua.core",
    "motcua.agencies",
    "motcua.accounts",
    "motcua.calendar",
    "motcua.catalog",
    "motcua.files",
    "motcua.dossiers",
    "motcua.petitions",
    "motcua.sipas",
    "motcua.par",
    "motcua.integrations",
    "motcua.outbox",
    "motcua.notifications",
    "motcua.warehouse",
    "motcua.web",
    "motcua.backoffice",
    "motcua.monitoring",
    "motcua.portal",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "motcua.core.middleware.RejectNullCharacters",  # before anything reads the query or the session
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "motcua.conf.urls"
WSGI_APPLICATION = "motcua.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL through MOTCUA_DATABASE_URL -------------
_database_url = os.environ.get("MOTCUA_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {
    # Health checks: a kept connection that the server dropped (the primary restarted) is noticed
    # at the start of the next request and replaced, instead of failing that request's first query.
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=int(os.environ.get("MOTCUA_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A streaming replica for the reads marked replica-safe (the dashboards, reports, exports, the public
# catalog; motcua.core.replica): set, the router sends them there, and a client that has just written
# reads the primary for MOTCUA_REPLICA_STICKY_SECONDS. Unset: one database, nothing routed.
MOTCUA_REPLICA_STICKY_SECONDS = float(os.environ.get("MOTCUA_REPLICA_STICKY_SECONDS", "5"))
_replica_url = os.environ.get("MOTCUA_DATABASE_REPLICA_URL", "")
if _replica_url:
    _replica = dj_database_url.parse(
        _replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database through it
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "motcua.core.replica.ReadYourWrites",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, where several processes must agree (issue 16): the task queue, the cache and the rate-limit
# counters. Unset, all three stay in the database, so one machine needs nothing else installed.
MOTCUA_REDIS_URL = os.environ.get("MOTCUA_REDIS_URL", "")

# The cache is shared by every app server: in Redis when there is one (a miss, not an error, while
# that Redis cannot be reached: motcua.core.cache), else in the database.
CACHES = {
    "default": (
        {"BACKEND": "motcua.core.cache.ResilientRedisCache", "LOCATION": MOTCUA_REDIS_URL}
        if MOTCUA_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("MOTCUA_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

# The public address printed on forms (QR codes) and in links sent to citizens; unset, each link takes
# the address its request came in on (motcua.core.public_url).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "").strip().rstrip("/")
if MOTCUA_PUBLIC_URL and not MOTCUA_PUBLIC_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("MOTCUA_PUBLIC_URL must start with https:// or http://")

# --- Working-day calendar (contract §4); per province, so per deployment -----------------------
MOTCUA_WORKING_PERIODS = env_periods("MOTCUA_WORKING_HOURS", "08:00-12:00,13:00-17:00")
MOTCUA_CUTOFF = env_time("MOTCUA_CUTOFF", "15:00")

# --- Files -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MOTCUA_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
# With the finders, files are served from the apps until `collectstatic` fills STATIC_ROOT (deployment
# step 3); WhiteNoise's warning about the missing directory says nothing an operator must act on.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "20")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Petitions (PAKN): working days allowed for each step (reform-indices.md §1.5; national portal defaults)
MOTCUA_PAKN_DEADLINES = {
    "classify": int(os.environ.get("MOTCUA_PAKN_CLASSIFY_DAYS", "2")),
    "first_supplement": int(os.environ.get("MOTCUA_PAKN_SUPPLEMENT_DAYS", "5")),
    "answer": int(os.environ.get("MOTCUA_PAKN_ANSWER_DAYS", "15")),
    "publish": int(os.environ.get("MOTCUA_PAKN_PUBLISH_DAYS", "2")),
    "pause_for_supplement": env_bool("MOTCUA_PAKN_PAUSE_FOR_SUPPLEMENT", True),
}
MOTCUA_PAKN_MAX_CONTENT = int(os.environ.get("MOTCUA_PAKN_MAX_CONTENT", "10000"))  # characters
# SIPAS (contract §10): the lowest answer counted "satisfied" (4: hài lòng, rất hài lòng), the
# weights of pillars, elements or items by code as JSON (missing codes weigh 1: equal weights), how
# long a survey invitation stays valid, and the public form's rate.
MOTCUA_SIPAS_SATISFIED_CUT = int(os.environ.get("MOTCUA_SIPAS_SATISFIED_CUT", "4"))
MOTCUA_SIPAS_WEIGHTS: dict[str, float] = json.loads(os.environ.get("MOTCUA_SIPAS_WEIGHTS", "{}"))
MOTCUA_SIPAS_INVITATION_DAYS = int(os.environ.get("MOTCUA_SIPAS_INVITATION_DAYS", "30"))

# --- Background tasks (django.tasks: the database backend, or Redis Streams with MOTCUA_REDIS_URL) --
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if MOTCUA_REDIS_URL:
    INSTALLED_APPS.append("django_tasks_redis")
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "OPTIONS": {
                "REDIS_URL": MOTCUA_REDIS_URL,
                "REDIS_KEY_PREFIX": "motcua:tasks",
                # Longer than the longest task (a roll-up rebuild, a reconciliation): a task still
                # running after it would be taken for a dead worker's and run again.
                "REDIS_CLAIM_TIMEOUT": int(os.environ.get("MOTCUA_TASK_CLAIM_SECONDS", "900")),
            },
        }
    }
# How often the worker brings the dashboard's roll-ups up to date (a run with nothing new costs two look-ups).
MOTCUA_ROLLUP_EVERY_SECONDS = float(os.environ.get("MOTCUA_ROLLUP_EVERY_SECONDS", "20"))

# --- The outbox (contract §8): what leaves MotCua, delivered by `motcua worker` -------------------
MOTCUA_OUTBOX = {
    # A failed attempt waits backoff_seconds × 2^(attempts-1), at most backoff_cap_seconds; after
    # max_attempts the message is a dead letter that an admin retries (20 attempts ≈ 14 hours).
    "backoff_seconds": float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_SECONDS", "5")),
    "backoff_cap_seconds": float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_CAP_SECONDS", "3600")),
    "max_attempts": int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "20")),
    "lease_seconds": float(
        os.environ.get("MOTCUA_OUTBOX_LEASE_SECONDS", "60")
    ),  # a killed worker's claims lapse
    "batch": int(os.environ.get("MOTCUA_OUTBOX_BATCH", "100")),
    # Threads that send the heads of different streams at once, for deliverers that allow it.
    "threads": int(os.environ.get("MOTCUA_OUTBOX_THREADS", "8")),
    "budget_seconds": float(os.environ.get("MOTCUA_OUTBOX_BUDGET_SECONDS", "20")),
    # The share of its time a worker's delivery loop may be busy while there is more to send: 1.0
    # drains a backlog as fast as it can; lower leaves the CPU to the desks during a catch-up.
    "duty": float(os.environ.get("MOTCUA_OUTBOX_DUTY", "1.0")),
    "idle_seconds": float(
        os.environ.get("MOTCUA_OUTBOX_IDLE_SECONDS", "0.5")
    ),  # a look when there was nothing
}

# --- National systems (contract §8; docs/configuration.md) ----------------------------------------
# One variable points every system not configured otherwise at the stand-ins (`motcua standins`);
# a system with neither its own URL nor the stand-ins is off, and the pages that would use it say so.
MOTCUA_STANDINS_URL = os.environ.get("MOTCUA_STANDINS_URL", "").strip().rstrip("/")
MOTCUA_INTEGRATIONS = {
    "vneid": {
        "url": os.environ.get("MOTCUA_VNEID_ISSUER", "").strip().rstrip("/"),
        "client_id": os.environ.get("MOTCUA_VNEID_CLIENT_ID", ""),
        "client_secret": os.environ.get("MOTCUA_VNEID_CLIENT_SECRET", ""),
    },
    "population": {
        "url": os.environ.get("MOTCUA_POPULATION_URL", "").strip(),
        "username": os.environ.get("MOTCUA_POPULATION_USERNAME", ""),
        "secret": os.environ.get("MOTCUA_POPULATION_SECRET", ""),
        # direct_soap (C06's SOAP, Basic auth with the hashed time-stamped password) or lgsp_json
        "mode": os.environ.get("MOTCUA_POPULATION_MODE", "direct_soap"),
        "integration_code": os.environ.get("MOTCUA_POPULATION_INTEGRATION_CODE", "037"),
        "service_code": os.environ.get("MOTCUA_POPULATION_SERVICE_CODE", "VPCP"),
    },
    "payment": {
        "url": os.environ.get("MOTCUA_PAYMENT_URL", "").strip().rstrip("/"),
        "merchant": os.environ.get("MOTCUA_PAYMENT_MERCHANT", ""),  # MaDoiTac
        "secret": os.environ.get("MOTCUA_PAYMENT_SECRET", ""),
    },
    # The national portal's sync adapter (ADAPTER_URL; /auth and /integration under it).
    "dvcqg": {
        "url": os.environ.get("MOTCUA_DVCQG_URL", "").strip().rstrip("/"),
        "username": os.environ.get("MOTCUA_DVCQG_USERNAME", ""),
        "password": os.environ.get("MOTCUA_DVCQG_PASSWORD", ""),
        "dstcode": os.environ.get("MOTCUA_DVCQG_DSTCODE", ""),
    },
    # VNPT SMS brandname, send_sms_list (integrations.md §6.1): the APIURL and the account's fields.
    "sms": {
        "url": os.environ.get("MOTCUA_SMS_URL", "").strip(),
        "api_user": os.environ.get("MOTCUA_SMS_API_USER", ""),
        "api_pass": os.environ.get("MOTCUA_SMS_API_PASS", ""),
        "username": os.environ.get("MOTCUA_SMS_USERNAME", ""),
        "agent_id": os.environ.get("MOTCUA_SMS_AGENT_ID", ""),
        "contract_type_id": os.environ.get("MOTCUA_SMS_CONTRACT_TYPE_ID", ""),
        "contract_id": os.environ.get("MOTCUA_SMS_CONTRACT_ID", ""),
        "label_id": os.environ.get("MOTCUA_SMS_LABEL_ID", ""),
    },
    # Zalo ZNS (§6.2): the API's base (https://business.openapi.zalo.me) and the OA's access token.
    "zalo": {
        "url": os.environ.get("MOTCUA_ZALO_URL", "").strip().rstrip("/"),
        "access_token": os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", ""),
    },
    # The agency's remote-signing service (SmartCA-shaped hash signing) for results.
    "signing": {
        "url": os.environ.get("MOTCUA_SIGNING_URL", "").strip().rstrip("/"),
        "sp_id": os.environ.get("MOTCUA_SIGNING_SP_ID", ""),
        "sp_password": os.environ.get("MOTCUA_SIGNING_SP_PASSWORD", ""),
        # PEM file of the CA roots a signed result may chain to (not used with the stand-in, whose
        # own test root is the only one trusted then).
        "trust_bundle": os.environ.get("MOTCUA_SIGNING_TRUST_BUNDLE", ""),
    },
    # The national channels (integrations.md §5): DVC liên thông's pull API (model C; GetToken and
    # the rest under the URL), and where the statuses of the pushed dossiers go back (model B: the
    # portal's DongBoTrangThaiHoSoKM; model D: VNeID's UrlNhanTrangThai), by default under the URL.
    "lienthong": {
        "url": os.environ.get("MOTCUA_LIENTHONG_URL", "").strip().rstrip("/"),
        "username": os.environ.get("MOTCUA_LIENTHONG_USERNAME", ""),
        "password": os.environ.get("MOTCUA_LIENTHONG_PASSWORD", ""),
        "dvcqg_status_url": os.environ.get("MOTCUA_DVCQG_STATUS_URL", "").strip(),
        "vneid_status_url": os.environ.get("MOTCUA_VNEID_STATUS_URL", "").strip(),
    },
}
# The shared secrets the national channels' pushes carry (model B: the national portal, header
# X-Api-Key; model D: VNeID, ?CodeGet= or the header). Empty: the stand-ins' when MOTCUA_STANDINS_URL
# is set, else the endpoint refuses every push.
MOTCUA_INBOUND_SECRETS = {
    "dvcqg": os.environ.get("MOTCUA_INBOUND_DVCQG_SECRET", ""),
    "vneid": os.environ.get("MOTCUA_INBOUND_VNEID_SECRET", ""),
}
# How often the worker pulls DVC liên thông's waiting dossiers (TD: every 10 minutes).
MOTCUA_LIENTHONG_PULL_SECONDS = float(os.environ.get("MOTCUA_LIENTHONG_PULL_SECONDS", "600"))
# An agency with its own SMS contract or brandname: JSON {"<agency code prefix>": {"label_id": …,
# "contract_id": …, …}}; the longest prefix of the receiving agency's code wins, else the default.
MOTCUA_SMS_PROVIDERS: dict[str, dict[str, str]] = json.loads(os.environ.get("MOTCUA_SMS_PROVIDERS") or "{}")
# E-mail to applicants (contract §8.4): smtp://user:password@host:587 (STARTTLS on 587, or
# ?starttls=1), smtps://…:465, or locmem: / console: (Django's test and console backends). Empty:
# the stand-ins' SMTP sink (their port + 1) when MOTCUA_STANDINS_URL is set, else e-mail is off.
MOTCUA_EMAIL = {
    "url": os.environ.get("MOTCUA_EMAIL_URL", "").strip(),
    "from": os.environ.get("MOTCUA_EMAIL_FROM", "Hanh Chinh Cong <khong-tra-loi@motcua.local>"),
}
# The e-receipts' form and series symbols (biên lai điện tử, Circular 78/2021/TT-BTC), as registered
# with the tax authority by the collecting agency.
MOTCUA_RECEIPT_PATTERN = os.environ.get("MOTCUA_RECEIPT_PATTERN", "01BLP0-001")
MOTCUA_RECEIPT_SERIES = os.environ.get("MOTCUA_RECEIPT_SERIES", "MC-26E")
# How long a leader's resolve waits for the signature before answering 202 (signing pending); the
# leader's next resolve (or the page's refresh) picks it up.
MOTCUA_SIGNING_WAIT_SECONDS = float(os.environ.get("MOTCUA_SIGNING_WAIT_SECONDS", "3"))
# Seconds before a call to a national system gives up (each attempt), and how many attempts.
MOTCUA_INTEGRATION_TIMEOUT = float(os.environ.get("MOTCUA_INTEGRATION_TIMEOUT", "5"))
MOTCUA_INTEGRATION_ATTEMPTS = int(os.environ.get("MOTCUA_INTEGRATION_ATTEMPTS", "3"))

# --- Security ----------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- API -----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "motcua.core.api.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "motcua.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "motcua.core.schema.AutoSchema",  # adds the error responses (core/schema.py)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("MOTCUA_LOGIN_RATE", "10/min"),
        "lookup": os.environ.get("MOTCUA_LOOKUP_RATE", "30/min"),
        # Population-database look-ups per officer (contract §8.2).
        "population": os.environ.get("MOTCUA_POPULATION_RATE", "30/min"),
        "petition": os.environ.get("MOTCUA_PETITION_RATE", "5/min"),
        # The public SIPAS form, per client address (each page saved counts one).
        "survey": os.environ.get("MOTCUA_SURVEY_RATE", "60/min"),
        # The public check of a signed result (contract §8.6), per client address.
        "verify": os.environ.get("MOTCUA_VERIFY_RATE", "20/min"),
        # The national channels' pushes (model B, D), per client address.
        "inbound": os.environ.get("MOTCUA_INBOUND_RATE", "120/min"),
    },
    # Proxies in front of the app; throttles key on the client address, never on a spoofable header.
    "NUM_PROXIES": int(os.environ.get("MOTCUA_NUM_PROXIES", "0")),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    # ?format= is ours (xlsx, csv exports in contract §7), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MotCua API",
    "DESCRIPTION": "Một cửa, một cửa liên thông — administrative procedures, dossiers and the working-day calendar.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this host (drf-spectacular-sidecar), not a CDN: the CSP allows no other host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CalendarDayKindEnum": "motcua.calendar.models.CalendarOverride.Kind",
        "AgencyKindEnum": "motcua.agencies.models.AgencyKind",
        "ApplicantKindEnum": ["individual", "organization"],
        "WarehouseSourceEnum": ["result", "submitted"],
        "SourceEnum": ["law", "override"],  # the calendar day's, named before the warehouse had a source
    },
}

# --- Logging: to stderr; personal ID and phone numbers are masked by the filter -------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "motcua.core.log_filters.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The worker would log every periodic run twice a minute; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks_redis": {"level": "WARNING"},
        # httpx logs every call to a national system at INFO (the portal's sync alone, hundreds a
        # minute); a failure is logged by the outbox with its reason.
        "httpx": {"level": "WARNING"},
    },
}
