"""The UI is translated into every supported language, completely, with placeholders intact."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}|%[sd]")


def catalogue(code: str) -> polib.POFile:
    path = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalogue {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete(code):
    po = catalogue(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(po.translated_entries()) > 500


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_their_placeholders(code):
    broken = []
    for entry in catalogue(code).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        broken += [entry.msgid for text in texts if sorted(PLACEHOLDER.findall(text)) != expected]
    assert broken == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the strings again into a scratch copy and compare: nothing in the code is missing."""
    root = Path(settings.PACKAGE_DIR)
    scratch = tmp_path / "govlab"
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo", "static"))
    (scratch / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--locale=es",
            "--no-location",
            "--no-wrap",
        ],
        cwd=scratch,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        check=True,
        capture_output=True,
    )
    extracted = {entry.msgid for entry in polib.pofile(str(scratch / "locale/es/LC_MESSAGES/django.po"))}
    known = {entry.msgid for entry in catalogue("es")}
    assert sorted(extracted - known) == []
