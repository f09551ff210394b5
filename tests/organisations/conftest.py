"""Fixtures for the organisation pages: a client per role, real image files, a superuser."""

import io

import pytest
from PIL import Image

from tests.factories import UserFactory

# The standard matrix, plus the organisation's own member and administrator.
ROLES = ["anonymous", "other_lab_staff", "organisation_member", "evaluator", "staff", "manager"]


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def as_role(client, login, role_user, superuser, organisation_admin, organisation_member):
    """A client signed in (MFA passed) as someone holding ``role``; anonymous gives a fresh client.

    ``own_member`` and ``organisation_admin`` belong to the ``organisation`` fixture;
    ``organisation_member`` (the standard matrix) belongs to another organisation of the same lab.
    """

    def make(role: str):
        if role == "anonymous":
            return client, None
        if role == "superuser":
            user = superuser
        elif role == "organisation_admin":
            user = organisation_admin
        elif role == "own_member":
            user = organisation_member
        else:
            user = role_user(role)
        return login(user), user

    return make


def png_bytes(size=(8, 8), noise: bool = False) -> bytes:
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (29, 78, 216))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def image_bytes(image_format: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 78, 216)).save(buffer, format=image_format)
    return buffer.getvalue()
