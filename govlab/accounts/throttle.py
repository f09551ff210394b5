"""Limit failed sign-ins: per e-mail address, and per client IP address with a higher limit.

Counts live in Django's cache, which is shared between app servers (Redis or the database cache in
production). After ``LOGIN_FAILURE_LIMIT`` failures for one e-mail address (or ``LOGIN_IP_FAILURE_LIMIT``
from one IP address), signing in is refused for ``LOGIN_LOCKOUT_SECONDS``, even with the right password.

Keys are hashed so that no address is stored in clear in the cache and every key is valid for every
cache backend. The lock stores the moment it ends, checked against the clock as well as the cache's
own expiry, so a lock means the same on every backend.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

KEY_PREFIX = "govlab:login"
DEFAULT_IP_FAILURE_LIMIT = 20


def _now() -> float:
    """The clock (a function, so tests can move it)."""
    return time.time()


def email_limit() -> int:
    return int(settings.LOGIN_FAILURE_LIMIT)


def ip_limit() -> int:
    return int(getattr(settings, "LOGIN_IP_FAILURE_LIMIT", DEFAULT_IP_FAILURE_LIMIT))


def lockout_seconds() -> int:
    return int(settings.LOGIN_LOCKOUT_SECONDS)


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def client_ip(request) -> str | None:
    """The client's IP address, as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _key(kind: str, scope: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return f"{KEY_PREFIX}:{kind}:{scope}:{digest}"


def _scopes(email: str | None, ip: str | None) -> list[tuple[str, str, int]]:
    """(scope, value, limit) for each key that applies to this attempt."""
    scopes = []
    email = normalise_email(email)
    if email:
        scopes.append(("email", email, email_limit()))
    if ip:
        scopes.append(("ip", ip, ip_limit()))
    return scopes


@dataclass(frozen=True)
class Lock:
    """Signing in is refused until ``until`` (a UNIX time) because of too many failures on ``scope``."""

    scope: str
    until: float

    @property
    def seconds_left(self) -> int:
        return max(1, math.ceil(self.until - _now()))

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil(self.seconds_left / 60))


def login_is_locked(*, email: str | None, ip: str | None) -> Lock | None:
    """The lock in force for this e-mail address or IP address, or None."""
    now = _now()
    for scope, value, _limit in _scopes(email, ip):
        until = cache.get(_key("lock", scope, value))
        if until is not None and float(until) > now:
            return Lock(scope=scope, until=float(until))
    return None


def login_failures_count(*, email: str | None = None, ip: str | None = None) -> int:
    """The failures counted so far for this e-mail address (or, without one, this IP address)."""
    if normalise_email(email):
        return int(cache.get(_key("count", "email", normalise_email(email))) or 0)
    if ip:
        return int(cache.get(_key("count", "ip", ip)) or 0)
    return 0


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        count = 1
    # Some backends' incr() writes with the default timeout: set ours again.
    cache.touch(key, timeout)
    return count


def login_failures_register(*, email: str | None, ip: str | None, user=None) -> Lock | None:
    """Count one failed sign-in; lock (and audit the lock) when a limit is reached. Returns the new lock."""
    timeout = lockout_seconds()
    new_lock = None
    for scope, value, limit in _scopes(email, ip):
        count = _increment(_key("count", scope, value), timeout)
        if count >= limit:
            until = _now() + timeout
            cache.set(_key("lock", scope, value), until, timeout)
            cache.delete(_key("count", scope, value))
            new_lock = new_lock or Lock(scope=scope, until=until)
            _audit_lock(scope=scope, email=normalise_email(email), ip=ip, user=user, failures=count)
    return new_lock


def login_failures_reset(*, email: str | None) -> None:
    """Forget the failures counted for this e-mail address (after a successful sign-in).

    The per-IP count is kept: one working account must not let an attacker reset the IP limit.
    """
    email = normalise_email(email)
    if email:
        cache.delete(_key("count", "email", email))


def login_lock_clear(*, email: str | None = None, ip: str | None = None) -> None:
    """Lift a lock and its counts (for support staff: e.g. from the shell)."""
    for scope, value, _limit in _scopes(email, ip):
        cache.delete_many([_key("count", scope, value), _key("lock", scope, value)])


def _audit_lock(*, scope: str, email: str, ip: str | None, user, failures: int) -> None:
    from govlab.accounts.models import User
    from govlab.audit.services import audit_record

    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    changes: dict = {"scope": scope, "failures": failures, "lockout_seconds": lockout_seconds()}
    if scope == "ip":
        changes["ip"] = ip
    with transaction.atomic():
        audit_record(
            actor=None,
            action="account.locked",
            target=user if scope == "email" else None,
            changes=changes,
            reason="Too many failed sign-in attempts.",
        )
    logger.warning("Sign-in locked after %s failures (%s).", failures, scope)
