"""Hook for the phase services: a challenge's OCDS process may have changed; refresh its releases."""

from __future__ import annotations


def refresh_later(challenge_id: int) -> None:
    """After the current transaction commits, append the releases the challenge's changes call for."""
