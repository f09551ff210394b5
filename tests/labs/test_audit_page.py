"""The lab audit page: the lab's entries, for its staff, paginated."""

import pytest
from django.urls import reverse

from govlab.labs import services
from tests.factories import UserFactory


def url(lab):
    return reverse("labs:audit", args=[lab.slug])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 403),
        ("other_lab_staff", 403),
        ("organisation_member", 403),
        ("evaluator", 403),
        ("mentor", 403),
        ("staff", 200),
        ("manager", 200),
        ("superuser", 200),
    ],
)
def test_audit_role_matrix(as_role, lab, role, expected):
    client, _user = as_role(role)

    assert client.get(url(lab)).status_code == expected


@pytest.mark.django_db
def test_audit_shows_who_when_what_and_why_for_this_lab_only(login, lab, other_lab, manager, staff):
    services.lab_update(lab=lab, updated_by=manager, reason="New brand", jurisdiction="Bogotá")
    services.lab_update(lab=other_lab, updated_by=manager, jurisdiction="Elsewhere")

    response = login(staff).get(url(lab))

    html = response.content.decode()
    assert [entry.action for entry in response.context["page"]] == ["lab.update"]
    assert f"<bdi>{manager.full_name}</bdi>" in html
    assert "<code>lab.update</code>" in html
    assert "<code>jurisdiction</code>" in html
    assert '<em>(empty)</em> → <span dir="auto">Bogotá</span>' in html
    assert '<span dir="auto">New brand</span>' in html
    assert "Elsewhere" not in html
    assert "1 entry" in html


@pytest.mark.django_db
def test_audit_is_paginated(login, lab, staff):
    manager = UserFactory()
    for number in range(55):
        services.lab_update(lab=lab, updated_by=manager, jurisdiction=f"Jurisdiction {number}")
    client = login(staff)

    first = client.get(url(lab))
    second = client.get(url(lab), {"page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert second.context["page"][4].changes == {"jurisdiction": ["", "Jurisdiction 0"]}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_audit_query_count_does_not_grow(login, lab, staff, django_assert_num_queries, count):
    for number in range(count):
        services.lab_update(lab=lab, updated_by=UserFactory(), jurisdiction=f"J {number}")
    client = login(staff)
    client.get(url(lab))

    with django_assert_num_queries(7):
        response = client.get(url(lab))

    assert len(response.context["page"]) == count
