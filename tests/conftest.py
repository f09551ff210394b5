"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache
from django.utils import translation

from govlab.accounts.middleware import MFA_SESSION_KEY
from tests.factories import (
    LabFactory,
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)

pytest_plugins = ["tests.browser"]


@pytest.fixture
def lab(db):
    return LabFactory()


@pytest.fixture
def other_lab(db):
    return LabFactory()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def manager(lab):
    return LabMembershipFactory(lab=lab, role="manager").user


@pytest.fixture
def staff(lab):
    return LabMembershipFactory(lab=lab, role="staff").user


@pytest.fixture
def evaluator(lab):
    return LabMembershipFactory(lab=lab, role="evaluator").user


@pytest.fixture
def mentor(lab):
    return LabMembershipFactory(lab=lab, role="mentor").user


@pytest.fixture
def other_lab_staff(other_lab):
    return LabMembershipFactory(lab=other_lab, role="staff").user


@pytest.fixture
def organisation(lab):
    organisation = OrganisationFactory()
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def organisation_member(organisation):
    return OrganisationMembershipFactory(organisation=organisation, role="member").user


@pytest.fixture
def organisation_admin(organisation):
    return OrganisationMembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def role_user(request, lab, other_lab):
    """Resolve a role name from the standard matrix to a user (None for anonymous)."""

    def resolve(role: str):
        if role == "anonymous":
            return None
        if role == "other_lab_staff":
            return LabMembershipFactory(lab=other_lab, role="staff").user
        if role == "organisation_member":
            organisation = OrganisationFactory()
            organisation.labs.add(lab)
            return OrganisationMembershipFactory(organisation=organisation, role="member").user
        if role in ("manager", "staff", "evaluator", "mentor"):
            return LabMembershipFactory(lab=lab, role=role).user
        if role == "plain_user":
            return UserFactory()
        raise ValueError(role)

    return resolve


@pytest.fixture(autouse=True)
def _english():
    """A request to a /es/ address leaves Spanish active in the thread: start every test in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Failed sign-in counts and used TOTP codes live in the cache: start every test without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def login(client):
    """Sign a person in on the test client, as if they had passed the second factor."""

    def sign_in(user, *, mfa_ok: bool = True):
        client.force_login(user)
        if mfa_ok:
            session = client.session
            session[MFA_SESSION_KEY] = True
            session.save()
        return client

    return sign_in


# --- JSON API helpers, shared by the apps' test_api.py: ``from tests.conftest import error, post`` ---------


def error(response) -> dict:
    """The API's one error shape: ``{"error": {"code", "message", "fields"}}``; returns the inner object."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")
