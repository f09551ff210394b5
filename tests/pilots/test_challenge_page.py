"""A decided pilot — a stopped one too — is kept on its challenge's page as learning; a running one is not."""

import pytest

from govlab.pilots import services
from govlab.pilots.enums import Decision
from tests.pilots.test_services import _fill

pytestmark = pytest.mark.django_db


def test_the_challenge_page_shows_a_stopped_pilot_with_its_lessons(
    client, lab_staff, entity_member, make_pilot, ready_challenge
):
    running = make_pilot()
    _fill(running, lab_staff)
    client.force_login(entity_member)
    page = client.get(f"/challenges/{ready_challenge.reference}/").content.decode()
    assert "Pilots and what they taught" not in page

    services.pilot_end(pilot=running, by=lab_staff)
    services.pilot_decide(
        pilot=running,
        by=entity_member,
        decision=Decision.STOP,
        rationale="Callers preferred the robot at night.",
        lessons="Route to a person in office hours only.",
    )
    page = client.get(f"/challenges/{ready_challenge.reference}/").content.decode()
    assert "Pilots and what they taught" in page
    assert "Decision: Stop" in page
    assert "Callers preferred the robot at night." in page
    assert "Route to a person in office hours only." in page
