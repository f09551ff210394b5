import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "title"), [("", "en", "Page not found"), ("/es", "es", None)])
def test_unknown_page_answers_404_with_the_site_layout(client, prefix, lang, title):
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{lang}"' in body
    assert 'href="#main"' in body
    if title:
        assert f"<h1>{title}</h1>" in body
