"""Production-like settings for the benchmark: DEBUG off, persistent DB connections, no SSL redirect.

Only what a loopback benchmark must differ in is changed: hosts, HTTP (no TLS in front), a cache that
needs no server (a real deployment would use Redis), and the bench URLconf that adds ``/bench/floor``.
The database comes from ``DATABASE_URL`` as everywhere (bench/run.py sets it).
"""

from govlab.settings.base import *  # noqa: F403 (the bench extends the base settings like any environment)
from govlab.settings.base import DATABASES, LOGGING, REST_FRAMEWORK, VAR_DIR

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105 (loopback bench)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
STATIC_ROOT = VAR_DIR / "bench" / "static"  # bench/run.py creates it (WhiteNoise warns when missing)
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
# Anonymous API reads are throttled in production (600/min); a load test must measure the view instead.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
