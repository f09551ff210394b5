"""Reads for the lab pages."""

import pytest

from govlab.labs import selectors
from tests.factories import LabFactory, LabMembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_lab_for_public_page_hides_inactive_labs_from_outsiders(lab, staff, user):
    lab.is_active = False
    lab.save()

    assert selectors.lab_for_public_page(slug=lab.slug, user=user) is None
    assert selectors.lab_for_public_page(slug=lab.slug, user=staff) == lab
    assert selectors.lab_for_public_page(slug="missing", user=staff) is None


@pytest.mark.django_db
def test_lab_organisation_kinds_counts_active_organisations_by_kind(lab, other_lab):
    for kind in ("ngo", "startup", "startup"):
        OrganisationFactory(kind=kind).labs.add(lab)
    OrganisationFactory(kind="ngo", is_active=False).labs.add(lab)
    OrganisationFactory(kind="sme").labs.add(other_lab)

    assert selectors.lab_organisation_kinds(lab=lab) == [
        {"kind": "startup", "label": "Start-up", "count": 2},
        {"kind": "ngo", "label": "NGO", "count": 1},
    ]


@pytest.mark.django_db
def test_lab_organisations_preview_is_limited_and_sorted(lab):
    for name in ("Zeta", "Alpha", "Mu"):
        OrganisationFactory(name=name).labs.add(lab)

    assert [o.name for o in selectors.lab_organisations_preview(lab=lab, limit=2)] == ["Alpha", "Mu"]


@pytest.mark.django_db
def test_user_lab_memberships_lists_roles_with_labs():
    person = UserFactory()
    second = LabFactory(slug="b-lab")
    first = LabFactory(slug="a-lab")
    LabMembershipFactory(lab=second, user=person, role="staff")
    LabMembershipFactory(lab=first, user=person, role="mentor")
    LabMembershipFactory(lab=first, user=person, role="evaluator")

    rows = [(m.lab.slug, m.role) for m in selectors.user_lab_memberships(person)]

    assert rows == [("a-lab", "evaluator"), ("a-lab", "mentor"), ("b-lab", "staff")]
