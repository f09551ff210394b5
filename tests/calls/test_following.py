"""The page of what a person follows: follow a sector or technology, stop following anything."""

import pytest

from govlab.calls import services
from govlab.calls.enums import FollowKind
from govlab.calls.models import Follow
from tests.factories import OrganisationMembershipFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_follow_a_sector_and_be_told_when_a_call_opens(login, draft_call, ready_challenge, lab_staff):
    sector = TermFactory(vocabulary="sector", name={"en": "Mobility"})
    ready_challenge.sectors.add(sector)
    person = OrganisationMembershipFactory().user
    client = login(person)
    response = client.post("/calls/following/", {"term": sector.pk})
    assert response.status_code == 302
    assert list(Follow.objects.values_list("user_id", "kind", "term_id")) == [
        (person.pk, "sector", sector.pk)
    ]
    page = client.get("/calls/following/").content.decode()
    assert "Mobility" in page
    services.call_publish(call=draft_call, published_by=lab_staff)
    assert person.notifications.filter(kind="call.published").count() == 1


def test_follow_refuses_a_bad_choice_and_changes_nothing(login):
    client = login(OrganisationMembershipFactory().user)
    response = client.post("/calls/following/", {"term": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Follow.objects.count() == 0


def test_unfollow_only_ones_own(login, lab):
    person, other = OrganisationMembershipFactory().user, OrganisationMembershipFactory().user
    mine = services.follow(user=person, kind=FollowKind.LAB, target=lab)
    theirs = services.follow(user=other, kind=FollowKind.LAB, target=lab)
    client = login(person)
    client.post("/calls/following/", {"unfollow": theirs.pk})
    assert client.post("/calls/following/", {"unfollow": "x"}).status_code == 302
    assert Follow.objects.filter(pk=theirs.pk).exists()
    client.post("/calls/following/", {"unfollow": mine.pk})
    assert not Follow.objects.filter(pk=mine.pk).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/calls/following/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
