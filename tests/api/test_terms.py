"""/api/v1/terms/: the shared vocabularies, public, in the reader's language."""

import pytest

from govlab.taxonomy.models import Term
from tests.factories import TermFactory

from .conftest import error

pytestmark = pytest.mark.django_db


def test_terms_filter_by_vocabulary_in_the_readers_language(client):
    Term.objects.all().delete()
    TermFactory(vocabulary="sdg", code="sdg-01", name={"en": "No poverty", "es": "Fin de la pobreza"})
    TermFactory(vocabulary="sdg", code="sdg-02", name={"en": "Zero hunger"})
    TermFactory(vocabulary="sector", code="health", name={"en": "Health"})
    TermFactory(vocabulary="sdg", code="old", is_active=False)

    response = client.get("/api/v1/terms/?vocabulary=sdg", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    first, second = response.json()["results"]
    assert first["code"] == "sdg-01"
    assert first["name"] == {"text": "Fin de la pobreza", "language": "es", "is_fallback": False}
    assert first["translations"] == {"en": "No poverty", "es": "Fin de la pobreza"}
    assert second["name"] == {"text": "Zero hunger", "language": "en", "is_fallback": True}


def test_terms_without_filter_list_every_active_vocabulary(client):
    response = client.get("/api/v1/terms/?page_size=200")

    assert response.status_code == 200
    assert response.json()["count"] == Term.objects.filter(is_active=True).count()
    assert {row["vocabulary"] for row in response.json()["results"]} >= {"sdg"}


def test_terms_unknown_vocabulary_is_a_field_error(client):
    response = client.get("/api/v1/terms/?vocabulary=colours")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["vocabulary"]


@pytest.mark.parametrize("rows", [1, 3])
def test_terms_query_count_does_not_grow(client, django_assert_num_queries, rows):
    Term.objects.all().delete()
    for _ in range(rows):
        TermFactory(vocabulary="sector")

    with django_assert_num_queries(2):  # count, page
        response = client.get("/api/v1/terms/?vocabulary=sector")

    assert response.json()["count"] == rows
