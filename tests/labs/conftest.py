"""Fixtures for the labs tests."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def as_role(client, login, role_user, superuser):
    """A client signed in (MFA passed) as someone holding ``role``; anonymous gives a fresh client."""

    def make(role: str):
        if role == "anonymous":
            return client, None
        user = superuser if role == "superuser" else role_user(role)
        return login(user), user

    return make


@pytest.fixture
def published_campaign(lab):
    from govlab.challenges.models import IntakeCampaign

    now = timezone.now()
    return IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Call for challenges 2026", "es": "Convocatoria de retos 2026"},
        slug="call-2026",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        is_published=True,
    )
