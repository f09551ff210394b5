"""Build the .mo message catalogues from the committed .po files (no GNU gettext needed).

Some installed packages (allauth, django-countries, DRF) ship Portuguese only as ``pt_PT``/``pt_BR``,
which gettext does not use for our ``pt``. For every language we offer that a package lacks, this
command also builds a catalogue from the package's regional variant into the generated locale path
(``var/locale``), so sign-in messages and country names are Portuguese too. Nothing generated is
committed.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

# The regional variant to borrow, per language we offer, in order of preference.
VARIANTS = {"pt": ["pt_PT", "pt_BR"], "sv": ["sv_SE"], "es": ["es_ES"], "fr": ["fr_FR"]}


def variant_catalogue(locale_dir: Path, language: str) -> Path | None:
    """The package's .mo for ``language`` when it has only a regional variant, else None."""
    if (locale_dir / language / "LC_MESSAGES" / "django.mo").exists():
        return None
    for variant in VARIANTS.get(language, []):
        candidate = locale_dir / variant / "LC_MESSAGES" / "django.mo"
        if candidate.exists():
            return candidate
    return None


class Command(BaseCommand):
    help = "Compile govlab's .po translation catalogues into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        own, generated = Path(settings.LOCALE_PATHS[0]), Path(settings.LOCALE_PATHS[-1])
        for po_path in sorted(own.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        borrowed = 0
        if generated != own:
            for code, _name in settings.LANGUAGES:
                borrowed += self._borrow(code, generated)
        self.stdout.write(
            f"Compiled {compiled} translation catalogue(s); "
            f"borrowed {borrowed} package catalogue(s) from regional variants."
        )

    def _borrow(self, language: str, generated: Path) -> int:
        merged = polib.MOFile()
        merged.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
        seen: set[tuple[str | None, str]] = set()
        sources = 0
        # Earlier apps win, as in Django's own merging of app catalogues.
        for config in apps.get_app_configs():
            source = variant_catalogue(Path(config.path) / "locale", language)
            if source is None:
                continue
            sources += 1
            for entry in polib.mofile(str(source)):
                key = (entry.msgctxt, entry.msgid)
                if key not in seen and entry.msgid:
                    seen.add(key)
                    merged.append(entry)
        if not sources:
            return 0
        target = generated / language / "LC_MESSAGES" / "django.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        merged.save(str(target))
        return sources
