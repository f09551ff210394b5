"""The lab settings page: who may use it, what it saves, and how it refuses bad input."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from govlab.audit.models import AuditEntry
from govlab.labs.models import Lab


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4ed8").save(buffer, format="PNG")
    return buffer.getvalue()


def valid_post(lab, **overrides):
    data = {
        "name_en": "Innovation Lab",
        "name_es": "Laboratorio de Innovación",
        "tagline_en": "Better public services",
        "tagline_es": "",
        "about_en": "About us.",
        "about_es": "",
        "primary_colour": "#0b5394",
        "main_language": "en",
        "other_languages": ["es"],
        "country": "CO",
        "jurisdiction": "National",
        "currency": "COP",
        "time_zone": "America/Bogota",
        "website": "https://lab.example",
        "contact_email": "hola@lab.example",
    }
    data.update(overrides)
    return data


def url(lab):
    return reverse("labs:settings", args=[lab.slug])


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
        ("staff", 403),
        ("manager", 200),
        ("superuser", 200),
    ],
)
def test_settings_role_matrix(as_role, lab, role, expected):
    client, _user = as_role(role)
    before = Lab.objects.get(pk=lab.pk).name

    get = client.get(url(lab))
    post = client.post(url(lab), valid_post(lab))

    assert get.status_code == expected
    if role == "anonymous":
        assert get["Location"] == f"/accounts/login/?next=/labs/{lab.slug}/settings/"
    if expected == 200:
        assert post.status_code == 302
    else:
        assert post.status_code == expected
        assert Lab.objects.get(pk=lab.pk).name == before
        assert AuditEntry.objects.filter(action="lab.update").count() == 0


@pytest.mark.django_db
def test_settings_of_an_inactive_lab_are_404_for_outsiders(login, lab, other_lab_staff):
    lab.is_active = False
    lab.save()

    assert login(other_lab_staff).get(url(lab)).status_code == 404


@pytest.mark.django_db
def test_settings_unknown_lab_is_404(login, manager):
    assert login(manager).get("/labs/nope/settings/").status_code == 404


@pytest.mark.django_db
def test_settings_save_through_the_service_and_audit(login, lab, manager):
    client = login(manager)

    response = client.post(url(lab), valid_post(lab), follow=True)

    assert response.redirect_chain == [(url(lab), 302)]
    assert "The lab&#x27;s settings are saved." in response.content.decode()
    lab.refresh_from_db()
    assert lab.name == {"en": "Innovation Lab", "es": "Laboratorio de Innovación"}
    assert lab.tagline == {"en": "Better public services"}
    assert lab.primary_colour == "#0b5394"
    assert lab.languages == ["en", "es"]
    assert lab.website == "https://lab.example"
    entry = AuditEntry.objects.get(action="lab.update")
    assert entry.actor == manager
    assert entry.lab == lab
    assert set(entry.changes) == {
        "name",
        "tagline",
        "about",
        "primary_colour",
        "jurisdiction",
        "website",
        "contact_email",
    }
    assert entry.changes["primary_colour"] == ["#1d4ed8", "#0b5394"]


@pytest.mark.django_db
def test_settings_keep_translations_in_languages_not_shown(login, lab, manager):
    lab.name = {"en": "Lab", "es": "Lab es", "fr": "Labo"}
    lab.save()

    login(manager).post(url(lab), valid_post(lab))

    lab.refresh_from_db()
    assert lab.name == {"en": "Innovation Lab", "es": "Laboratorio de Innovación", "fr": "Labo"}


@pytest.mark.django_db
def test_settings_main_language_comes_first(login, lab, manager):
    login(manager).post(url(lab), valid_post(lab, main_language="es", other_languages=["en", "es", "fr"]))

    lab.refresh_from_db()
    assert lab.languages == ["es", "en", "fr"]


@pytest.mark.django_db
def test_settings_unchanged_form_records_nothing(login, lab, manager):
    client = login(manager)
    client.post(url(lab), valid_post(lab))
    count = AuditEntry.objects.count()

    client.post(url(lab), valid_post(lab))

    assert AuditEntry.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("blue", "Give the colour as # and six hexadecimal digits, e.g. #1d4ed8."),
        ("#12345", "Give the colour as # and six hexadecimal digits, e.g. #1d4ed8."),
        ("#ffff00", "White text on #ffff00 has a contrast of 1.1:1; at least 4.5:1 is needed"),
    ],
)
def test_settings_refuse_a_bad_colour_and_keep_the_input(login, lab, manager, colour, message):
    response = login(manager).post(url(lab), valid_post(lab, primary_colour=colour))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{colour}"' in html
    assert 'value="Laboratorio de Innovación"' in html
    assert response.context["form"].errors["primary_colour"]
    lab.refresh_from_db()
    assert lab.primary_colour == "#1d4ed8"
    assert lab.name["en"] != "Innovation Lab"
    assert AuditEntry.objects.filter(action="lab.update").count() == 0


@pytest.mark.django_db
def test_settings_accept_a_logo(login, lab, manager):
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")

    response = login(manager).post(url(lab), {**valid_post(lab), "logo": logo})

    assert response.status_code == 302
    lab.refresh_from_db()
    assert lab.logo.name == f"labs/{lab.slug}/logo.png"
    assert AuditEntry.objects.get(action="lab.update").changes["logo"] == ["", "logo.png"]


@pytest.mark.django_db
def test_settings_refuse_an_oversize_logo_at_the_field(login, lab, manager, settings):
    from govlab.core.uploads import image_upload

    big = png_bytes() + b"\0" * image_upload.max_bytes
    logo = SimpleUploadedFile("logo.png", big, content_type="image/png")

    response = login(manager).post(url(lab), {**valid_post(lab), "logo": logo})

    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    assert errors == ["“logo.png” is 2.0\xa0MB; the largest accepted is 2.0\xa0MB."]
    assert 'id="id_logo_errors"' in response.content.decode()
    lab.refresh_from_db()
    assert lab.logo.name == ""
    assert lab.name["en"] != "Innovation Lab"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "“logo.svg” is not an accepted file type. Accepted types: GIF, JPEG, JPG, PNG, WEBP.",
        ),
        ("logo.png", b"GIF89a not a png", "“logo.png” does not contain what its name says (PNG)."),
    ],
)
def test_settings_refuse_a_disallowed_logo_at_the_field(login, lab, manager, name, content, message):
    logo = SimpleUploadedFile(name, content)

    response = login(manager).post(url(lab), {**valid_post(lab), "logo": logo})

    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [message]
    lab.refresh_from_db()
    assert lab.logo.name == ""


@pytest.mark.django_db
def test_settings_refuse_text_over_the_limit(login, lab, manager):
    response = login(manager).post(url(lab), valid_post(lab, tagline_en="x" * 301))

    assert response.status_code == 200
    assert response.context["form"].errors["tagline"]
    lab.refresh_from_db()
    assert lab.tagline == {}


@pytest.mark.django_db
def test_settings_require_a_name(login, lab, manager):
    response = login(manager).post(url(lab), valid_post(lab, name_en="", name_es=" "))

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Give this in at least one language."]


@pytest.mark.django_db
def test_settings_accept_10000_characters_of_emoji_and_rtl_text(login, lab, manager, client):
    about = ("نص عربي من اليمين 🌍🚀 " * 500)[:10000]

    response = login(manager).post(url(lab), valid_post(lab, about_en=about))

    assert response.status_code == 302
    lab.refresh_from_db()
    assert lab.about["en"] == about.strip()
    html = client.get(reverse("labs:detail", args=[lab.slug])).content.decode()
    assert f'<span lang="en" dir="auto">{about.strip()}</span>' in html
