"""Settings shared by every environment. Environment-specific files only override what differs."""

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env_bool, env_int, env_list, env_str

PACKAGE_DIR = BASE_DIR / "govlab"
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-change-me-0123456789abcdefghij")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # govlab first, so its templates override those of the packages below.
    "govlab.core",
    "govlab.audit",
    "govlab.notifications",
    "govlab.taxonomy",
    "govlab.accounts",
    "govlab.labs",
    "govlab.organisations",
    "govlab.challenges",
    "govlab.calls",
    "govlab.evaluation",
    "govlab.strengthening",
    "govlab.pilots",
    "govlab.demoday",
    "govlab.procurement",
    "govlab.contracts",
    "govlab.ocds",
    "govlab.monitoring",
    "govlab.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: deadlines are judged on when a request arrived (govlab.core.middleware).
    "govlab.core.middleware.ReceivedAtMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govlab.accounts.middleware.UserPreferencesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells staff why they are sent to set up two-factor authentication.
    "govlab.accounts.middleware.StaffMFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "govlab.urls"
WSGI_APPLICATION = "govlab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govlab.core.context_processors.site",
                "govlab.notifications.context_processors.unread",
            ],
        },
    },
]

# Widgets render through the project's template settings, so govlab's own widget templates are found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: SQLite under var/ unless DATABASE_URL is set (PostgreSQL in production and CI).
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'govlab.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared between app servers (Redis when REDIS_URL is set, else the database).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "govlab_cache"}
    }

# --- Background tasks: one interface (django-tasks), three backends.
#   immediate: run inline, after the transaction commits (the default; nothing to run beside the app)
#   database:  queued in the database, run by `manage.py db_worker`
#   rq:        queued in Redis (REDIS_URL), run by
#              `manage.py rqworker --job-class django_tasks_rq.backend.Job`
TASK_BACKEND = env_str("TASK_BACKEND", "immediate")
# The header a trusted reverse proxy sets to the instant each request arrived (nginx:
# proxy_set_header X-Request-Start "t=${msec}";). Deadlines are judged on it. Empty: not behind one.
REQUEST_START_HEADER = env_str("REQUEST_START_HEADER", "")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- Authentication (django-allauth, with TOTP multi-factor authentication).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "govlab.accounts.backends.LoginLockBackend",  # first: refuses locked addresses (govlab.accounts.throttle)
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "govlab.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "govlab.accounts.forms.SignupForm"}
# Failed sign-ins are limited by govlab.accounts.throttle (answered 429), so allauth's own limit is off.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "govlab"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: UI in five languages; content in any of them.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("sv", _("Swedish")),
]
# Our catalogues first; then catalogues `compile_translations` builds for installed packages that only
# ship a regional variant of a language we offer (e.g. pt_PT for "pt"). Never committed.
LOCALE_PATHS = [PACKAGE_DIR / "locale", VAR_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads (Django storages: local disk, or S3-compatible when configured).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve static files from the apps and packages directly until `collectstatic` is run (production).
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "govlab <noreply@govlab.localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Content-Security-Policy: strict everywhere (no inline script or style), so tests see production's.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- API.
REST_FRAMEWORK = {
    # Token first, so that a request without credentials is answered 401 (with WWW-Authenticate).
    # Session authentication checks the CSRF token; lab staff's tokens obey the MFA rule (ADR 0007).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "govlab.core.api.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "govlab.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "govlab.core.api.exception_handler",
    # JSON only: DRF's browsable pages use inline script and style, which the strict CSP forbids. People
    # read the API at /api/docs/ (rendered from the schema by govlab.core.api.api_docs).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/min", "user": "1200/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "govlab API",
    "DESCRIPTION": "Labs, organisations, people and the innovation pipeline of a public-sector lab.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]",
    "TAGS": [
        {"name": "auth", "description": "Personal API tokens."},
        {"name": "me", "description": "The signed-in person."},
        {"name": "labs", "description": "Labs and their teams."},
        {"name": "organisations", "description": "The directory of organisations and their members."},
        {"name": "terms", "description": "Shared vocabularies: SDGs, sectors, technologies, themes."},
        {"name": "notifications", "description": "The signed-in person's notifications."},
        {"name": "ocds", "description": "Open Contracting Data Standard releases and records (public)."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "django_countries.countries",
        "CurrencyEnum": "govlab.labs.models.CURRENCY_CHOICES",
        "LabRoleEnum": "govlab.labs.enums.LabRole",
        "OrganisationRoleEnum": "govlab.organisations.enums.OrganisationRole",
        "OrganisationKindEnum": "govlab.organisations.enums.OrganisationKind",
        "HelixSectorEnum": "govlab.organisations.enums.HelixSector",
        "OrganisationSizeEnum": "govlab.organisations.enums.OrganisationSize",
        "VocabularyEnum": "govlab.taxonomy.enums.Vocabulary",
        "LanguageEnum": "django.conf.settings.LANGUAGES",
        "PilotStatusEnum": "govlab.pilots.enums.PilotStatus",
        "ChallengeStatusEnum": "govlab.challenges.enums.ChallengeStatus",
        "DeclineReasonEnum": "govlab.challenges.enums.DeclineReason",
        "WorksheetKindEnum": "govlab.challenges.enums.WorksheetKind",
        "MetricDirectionEnum": "govlab.pilots.enums.Direction",
        "ObservationSourceEnum": "govlab.pilots.enums.Source",
        "KpiDirectionEnum": "govlab.monitoring.enums.Direction",
        "KpiSourceEnum": "govlab.monitoring.enums.Source",
        "ProcedureKindEnum": "govlab.procurement.enums.ProcedureKind",
        "StepKindEnum": "govlab.procurement.enums.StepKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task state change is noise on a console; failures still show.
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
    },
}
