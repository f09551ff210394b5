"""The monitoring API (filled in by the issue-8 work)."""


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
