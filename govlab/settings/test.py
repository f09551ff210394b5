"""The test suite: same as base, with fast hashing and in-memory mail and cache."""

from .base import *  # noqa: F403 (settings modules extend the base by design)
from .base import REST_FRAMEWORK
from .env import env_str

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}

# The Redis worker queue is tested against the local Redis (database 15) when it is reachable.
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405 (from the base settings)
RQ_QUEUES = {"default": {"URL": env_str("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")}}
