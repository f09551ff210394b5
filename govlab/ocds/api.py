"""The ocds API (filled in by the phase-5 work)."""


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
