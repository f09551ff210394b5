"""The public challenge list and page, the campaign pages and the iCalendar feed."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, PublicSection
from govlab.challenges.models import Challenge, IntakeCampaign
from govlab.taxonomy.models import Term
from tests.accounts.html import structure
from tests.factories import OrganisationMembershipFactory

ROLES = [
    "anonymous",
    "other_lab_staff",
    "organisation_member",
    "entity_member",
    "evaluator",
    "staff",
    "manager",
]


@pytest.fixture
def who(role_user, entity):
    """The standard role matrix, plus a member of the challenge's own public entity."""

    def resolve(role):
        if role == "entity_member":
            return OrganisationMembershipFactory(organisation=entity, role="member").user
        return role_user(role)

    return resolve


@pytest.fixture
def as_role(client, login, who):
    def sign_in(role):
        user = who(role)
        return (login(user) if user else client), user

    return sign_in


@pytest.fixture
def public_challenge(make_challenge):
    return make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True)


# --- Public list ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_public_challenges_with_a_count(client, make_challenge):
    shown = make_challenge(
        status=ChallengeStatus.ACCEPTED, is_public=True, title={"en": "Receipts extraction"}
    )
    make_challenge(status=ChallengeStatus.ACCEPTED, is_public=False, title={"en": "Not public"})
    make_challenge(status=ChallengeStatus.IN_SCREENING, is_public=True, title={"en": "Being screened"})
    make_challenge(status=ChallengeStatus.DRAFT, is_public=True, title={"en": "A draft"})

    response = client.get(reverse("challenges:list"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["challenges"]] == [shown.pk]
    html = response.content.decode()
    assert "1 challenge found" in html
    assert "Receipts extraction" in html
    for hidden in ("Not public", "Being screened", "A draft"):
        assert hidden not in html


@pytest.mark.django_db
def test_list_page_is_accessible_by_structure(client, public_challenge):
    page = structure(client.get(reverse("challenges:list")))
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []
    assert (page.inline_styles, page.inline_scripts) == (0, 0)


@pytest.mark.django_db
def test_list_full_text_search_needs_every_word(client, make_challenge):
    bots = make_challenge(
        status=ChallengeStatus.ACCEPTED,
        is_public=True,
        title={"en": "Tell humans and bots apart"},
        problem_statement={"es": "Nuestro reto es que los robots llenan formularios"},
    )
    make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True, title={"en": "Emergency calls"})

    def found(q):
        return [c.pk for c in client.get(reverse("challenges:list"), {"q": q}).context["challenges"]]

    assert found("BOTS humans") == [bots.pk]
    assert found("robots formularios") == [bots.pk]
    assert found("humans emergency") == []


@pytest.mark.django_db
def test_list_filters_each_narrow_the_results(client, lab, other_lab, entity, make_challenge, campaign):
    sdg = Term.objects.get(vocabulary="sdg", code="sdg-09")
    sector = Term.objects.get(vocabulary="sector", code="health")
    technology = Term.objects.get(vocabulary="technology", code="ocr-icr")
    target = make_challenge(status=ChallengeStatus.CHARACTERISING, is_public=True, country="PY")
    target.sdgs.add(sdg)
    target.sectors.add(sector)
    target.technologies.add(technology)
    other = make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True)
    entity.labs.add(other_lab)
    elsewhere = make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True)
    Challenge.objects.filter(pk__in=[other.pk, elsewhere.pk]).update(campaign=None)
    Challenge.objects.filter(pk=elsewhere.pk).update(lab=other_lab)

    def found(**params):
        response = client.get(reverse("challenges:list"), params)
        assert response.status_code == 200
        return sorted(c.pk for c in response.context["challenges"])

    assert found() == sorted([target.pk, other.pk, elsewhere.pk])
    assert found(lab=lab.slug) == sorted([target.pk, other.pk])
    assert found(lab=other_lab.slug) == [elsewhere.pk]
    assert found(status="characterising") == [target.pk]
    assert found(sdg="sdg-09") == [target.pk]
    assert found(sector="health") == [target.pk]
    assert found(technology="ocr-icr") == [target.pk]
    assert found(country="PY") == [target.pk]
    assert found(campaign=campaign.pk) == [target.pk]
    # A value that is not a choice is ignored, not an error page.
    assert found(status="draft") == sorted([target.pk, other.pk, elsewhere.pk])
    assert found(status="draft", country="PY") == [target.pk]


@pytest.mark.django_db
def test_list_sorts_and_paginates_keeping_the_filters(client, make_challenge):
    now = timezone.now()
    made = []
    for n in range(22):
        challenge = make_challenge(
            status=ChallengeStatus.ACCEPTED, is_public=True, title={"en": f"Needle {n:02d}"}
        )
        challenge.submitted_at = now - dt.timedelta(days=n)
        challenge.save(update_fields=["submitted_at"])
        made.append(challenge)

    first = client.get(reverse("challenges:list"), {"q": "needle", "sort": "oldest"})
    second = client.get(reverse("challenges:list"), {"q": "needle", "sort": "oldest", "page": 2})

    assert [c.pk for c in first.context["challenges"]] == [c.pk for c in reversed(made)][:20]
    assert [c.pk for c in second.context["challenges"]] == [made[1].pk, made[0].pk]
    assert "22 challenges found" in first.content.decode()
    assert 'href="?q=needle&amp;sort=oldest&amp;page=2"' in first.content.decode()
    newest = client.get(reverse("challenges:list"), {"sort": "newest"})
    assert newest.context["challenges"][0].pk == made[0].pk


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_does_not_grow_with_rows(client, make_challenge, django_assert_num_queries, rows):
    sdg = Term.objects.get(vocabulary="sdg", code="sdg-11")
    sector = Term.objects.get(vocabulary="sector", code="mobility")
    for _n in range(rows):
        challenge = make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True)
        challenge.sdgs.add(sdg)
        challenge.sectors.add(sector)
    # session-less anonymous request: labs, terms, campaigns (filter form), count, rows, sdgs, sectors
    with django_assert_num_queries(7):
        response = client.get(reverse("challenges:list"), {"q": "bots"})
    assert len(response.context["challenges"]) == rows


# --- Public page ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_public_challenge_page_is_open_to_everyone(as_role, public_challenge, role):
    client, _user = as_role(role)
    assert client.get(reverse("challenges:detail", args=[public_challenge.reference])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 404),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 200),
        ("evaluator", 404),
        ("staff", 404),
        ("manager", 404),
    ],
)
def test_draft_page_only_for_its_entity(as_role, make_challenge, role, status_code):
    draft = make_challenge(is_public=True)
    client, _user = as_role(role)
    assert client.get(reverse("challenges:detail", args=[draft.reference])).status_code == status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 404),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 200),
        ("evaluator", 404),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_submitted_private_page_for_the_entity_and_the_lab_team(as_role, make_challenge, role, status_code):
    submitted = make_challenge(status=ChallengeStatus.IN_SCREENING)
    client, _user = as_role(role)
    assert client.get(reverse("challenges:detail", args=[submitted.reference])).status_code == status_code


@pytest.mark.django_db
def test_lab_team_gets_links_to_the_lab_workspace(login, make_challenge, staff, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    url = reverse("challenges:detail", args=[challenge.reference])
    screening = reverse("challenges:lab_screening", args=[challenge.lab.slug, challenge.reference])
    assert f'href="{screening}"' in login(staff).get(url).content.decode()
    assert f'href="{screening}"' not in login(entity_member).get(url).content.decode()


@pytest.mark.django_db
def test_unknown_reference_is_404(client):
    assert client.get(reverse("challenges:detail", args=["NOPE-1"])).status_code == 404


@pytest.mark.django_db
def test_public_page_shows_only_the_sections_the_entity_published(client, make_challenge):
    challenge = make_challenge(
        status=ChallengeStatus.ACCEPTED,
        is_public=True,
        public_sections=[PublicSection.BACKGROUND],
        background={"en": "Forms are filled by scripts."},
        constraints={"en": "Secret constraint text"},
        desired_outcomes={"en": "Hidden outcome text"},
        evidence_quantitative={"en": "Hidden evidence figure"},
        region="Hidden region",
    )
    html = client.get(reverse("challenges:detail", args=[challenge.reference])).content.decode()
    assert "Forms are filled by scripts." in html
    assert "Our challenge is that bots fill in our forms." in html
    for hidden in (
        "Secret constraint text",
        "Hidden outcome text",
        "Hidden evidence figure",
        "Hidden region",
    ):
        assert hidden not in html


@pytest.mark.django_db
def test_entity_member_sees_every_section_of_its_public_challenge(login, make_challenge, entity_member):
    challenge = make_challenge(
        status=ChallengeStatus.ACCEPTED, is_public=True, constraints={"en": "Secret constraint text"}
    )
    html = login(entity_member).get(reverse("challenges:detail", args=[challenge.reference])).content.decode()
    assert "Secret constraint text" in html


@pytest.mark.django_db
def test_user_text_is_shown_as_text_not_markup(client, make_challenge):
    challenge = make_challenge(
        status=ChallengeStatus.ACCEPTED,
        is_public=True,
        title={"en": "<script>alert('x')</script>"},
        problem_statement={"en": "<b>bold</b> & <img src=x onerror=alert(1)>"},
    )
    html = client.get(reverse("challenges:detail", args=[challenge.reference])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.django_db
def test_translated_content_in_the_reader_language_or_a_marked_fallback(client, make_challenge):
    challenge = make_challenge(
        status=ChallengeStatus.ACCEPTED,
        is_public=True,
        title={"es": "Recibos de medicamentos", "en": "Medicine receipts"},
        problem_statement={"es": "Nuestro reto es leer los recibos."},
    )
    url = reverse("challenges:detail", args=[challenge.reference])
    english = client.get(url).content.decode()
    assert '<span lang="en" dir="auto">Medicine receipts</span>' in english
    assert '<span lang="es" dir="auto">Nuestro reto es leer los recibos.</span>' in english
    assert '<span class="fallback-note">(in Spanish)</span>' in english
    spanish = client.get("/es" + url).content.decode()
    assert '<span lang="es" dir="auto">Recibos de medicamentos</span>' in spanish


@pytest.mark.django_db
def test_timeline_shows_transitions_and_reasons_only_to_the_private_side(
    client, login, make_challenge, entity_member, staff
):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING, is_public=True)
    services.challenge_transition(
        challenge=challenge,
        target=ChallengeStatus.MORE_INFO_REQUESTED,
        actor=staff,
        reason="Please add the number of forms per month.",
    )
    services.challenge_transition(
        challenge=challenge, target=ChallengeStatus.IN_SCREENING, actor=entity_member
    )
    services.challenge_transition(challenge=challenge, target=ChallengeStatus.ACCEPTED, actor=staff)
    url = reverse("challenges:detail", args=[challenge.reference])

    public = client.get(url)
    assert [(t.from_status, t.to_status) for t in public.context["timeline"]] == [
        ("in_screening", "more_info_requested"),
        ("more_info_requested", "in_screening"),
        ("in_screening", "accepted"),
    ]
    html = public.content.decode()
    assert "from In screening to More information requested" in html
    assert "Please add the number of forms per month." not in html
    private = login(entity_member).get(url).content.decode()
    assert "Please add the number of forms per month." in private


@pytest.mark.django_db
def test_attachment_download_follows_the_evidence_section(client, login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.DRAFT, is_public=True)
    attachment = services.challenge_attachment_add(
        challenge=challenge,
        uploaded_by=entity_member,
        file=SimpleUploadedFile("figures.csv", b"month,forms\n1,20\n"),
    )
    challenge.status = ChallengeStatus.ACCEPTED
    challenge.save(update_fields=["status"])
    url = reverse("challenges:attachment", args=[challenge.reference, attachment.pk])

    assert client.get(url).status_code == 404
    response = login(entity_member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"month,forms\n1,20\n"
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'

    challenge.public_sections = [PublicSection.EVIDENCE]
    challenge.save(update_fields=["public_sections"])
    client.logout()
    assert client.get(url).status_code == 200


# --- Campaigns ------------------------------------------------------------------------------------


@pytest.fixture
def make_campaign(lab):
    def make(slug, *, lab_=None, published=True, opens=-1, closes=30, title=None):
        now = timezone.now()
        return IntakeCampaign.objects.create(
            lab=lab_ or lab,
            title=title or {"en": f"Call {slug}"},
            slug=slug,
            opens_at=now + dt.timedelta(days=opens),
            closes_at=now + dt.timedelta(days=closes),
            is_published=published,
        )

    return make


@pytest.mark.django_db
def test_campaign_list_shows_published_campaigns_with_dates(client, campaign, make_campaign, lab):
    make_campaign("hidden", published=False)
    response = client.get(reverse("challenges:campaigns"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["campaigns"]] == [campaign.pk]
    html = response.content.decode()
    assert "Call for challenges 2026" in html
    closes = timezone.localtime(campaign.closes_at, zoneinfo.ZoneInfo(lab.time_zone))
    assert f'datetime="{closes.isoformat()}"' in html
    page = structure(response)
    assert page.h1_count == 1


@pytest.mark.django_db
def test_campaign_list_per_lab(client, campaign, make_campaign, other_lab):
    elsewhere = make_campaign("elsewhere", lab_=other_lab)
    response = client.get(reverse("challenges:campaigns"), {"lab": other_lab.slug})
    assert [c.pk for c in response.context["campaigns"]] == [elsewhere.pk]
    assert client.get(reverse("challenges:campaigns"), {"lab": "no-such-lab"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_campaign_list_query_count_does_not_grow_with_rows(
    client, make_campaign, django_assert_num_queries, rows
):
    for n in range(rows):
        make_campaign(f"call-{n}")
    with django_assert_num_queries(1):
        response = client.get(reverse("challenges:campaigns"))
    assert len(response.context["campaigns"]) == rows


@pytest.mark.django_db
def test_campaign_page_shows_criteria_dates_and_public_challenges(client, campaign, make_challenge):
    public = make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True, title={"en": "Shown challenge"})
    make_challenge(status=ChallengeStatus.IN_SCREENING, is_public=True, title={"en": "Screened challenge"})
    response = client.get(reverse("challenges:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    assert [c.pk for c in response.context["challenges"]] == [public.pk]
    html = response.content.decode()
    assert html.index("Clear problem owner") < html.index("Budget for the purchase")
    assert "Shown challenge" in html
    assert "Screened challenge" not in html
    assert f'href="{reverse("challenges:create")}?campaign={campaign.pk}"' in html
    assert structure(response).h1_count == 1


@pytest.mark.django_db
def test_campaign_page_by_slug_and_ambiguous_slug(client, campaign, make_campaign, other_lab):
    by_slug = client.get(reverse("challenges:campaign_by_slug", args=["call-2026"]))
    assert by_slug.status_code == 200
    assert by_slug.context["campaign"] == campaign
    same_slug = make_campaign("call-2026", lab_=other_lab)
    assert client.get(reverse("challenges:campaign_by_slug", args=["call-2026"])).status_code == 404
    chosen = client.get(reverse("challenges:campaign_by_slug", args=["call-2026"]), {"lab": other_lab.slug})
    assert chosen.context["campaign"] == same_slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 404),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 404),
        ("evaluator", 404),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_unpublished_campaign_page_only_for_the_lab_team(as_role, make_campaign, role, status_code):
    hidden = make_campaign("hidden", published=False)
    client, _user = as_role(role)
    assert client.get(reverse("challenges:campaign", args=[hidden.pk])).status_code == status_code


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


@pytest.mark.django_db
def test_ical_feed_is_valid_rfc5545(client, lab, make_campaign, settings):
    settings.SITE_URL = "https://govlab.example"
    campaign = make_campaign(
        "bots",
        title={"en": "Bye bye Robots; humans, please — " + ("a very long title " * 5).strip()},
    )
    campaign.description = {"en": "Line one\nLine two, with a comma"}
    campaign.save()
    make_campaign("hidden", published=False)

    response = client.get(reverse("challenges:campaigns_ics"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//govlab//Calls for challenges//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Calls for challenges",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert (lines.count("BEGIN:VEVENT"), lines.count("END:VEVENT")) == (1, 1)
    event = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    url = f"http://testserver/challenges/campaigns/{campaign.pk}/"
    assert event == [
        f"UID:campaign-{campaign.pk}@govlab.example",
        f"DTSTAMP:{campaign.updated_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{campaign.opens_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{campaign.closes_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        "SUMMARY:Bye bye Robots\\; humans\\, please — "
        + "a very long title " * 4
        + f"a very long title (call for challenges of {lab})",
        f"DESCRIPTION:Line one\\nLine two\\, with a comma\\n\\n{url}",
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
    ]


@pytest.mark.django_db
def test_ical_feed_folds_multibyte_text_without_splitting_characters(client, make_campaign):
    make_campaign("sv", title={"en": "Behovsworkshop för kommunerna — åäö " * 6})
    body = client.get(reverse("challenges:campaigns_ics")).content
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # every folded line is whole UTF-8
    assert "Behovsworkshop för kommunerna — åäö " * 6 in "".join(_unfold(body.decode()))


@pytest.mark.django_db
def test_ical_feed_per_lab(client, campaign, make_campaign, other_lab):
    make_campaign("elsewhere", lab_=other_lab)
    body = client.get(reverse("challenges:campaigns_ics"), {"lab": other_lab.slug}).content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "Call elsewhere" in body
    assert client.get(reverse("challenges:campaigns_ics"), {"lab": "nope"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_ical_feed_query_count_does_not_grow(client, make_campaign, django_assert_num_queries, rows):
    for n in range(rows):
        make_campaign(f"call-{n}")
    with django_assert_num_queries(1):
        body = client.get(reverse("challenges:campaigns_ics")).content.decode()
    assert body.count("BEGIN:VEVENT") == rows


@pytest.mark.django_db
def test_fixed_words_are_not_read_as_references(client, make_challenge):
    challenge = make_challenge(status=ChallengeStatus.ACCEPTED, is_public=True)
    challenge.reference = "campaigns"
    challenge.save(update_fields=["reference"])
    assert client.get("/challenges/campaigns/").context["campaigns"] is not None
    assert client.get("/challenges/mine/").status_code == 302
    assert client.get("/challenges/new/").status_code == 302
