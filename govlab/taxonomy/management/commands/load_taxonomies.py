"""``manage.py load_taxonomies [--path FILE_OR_DIR]``: insert or update the shared vocabularies."""

from django.core.management.base import BaseCommand

from govlab.taxonomy.services import taxonomy_load


class Command(BaseCommand):
    help = "Load the SDGs, sectors, technologies and thematic areas from their data files (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="A vocabulary JSON file or a directory of them.")

    def handle(self, *args, path=None, **options):
        result = taxonomy_load(path=path)
        self.stdout.write(
            f"Terms: {len(result.created)} created, {len(result.updated)} updated, "
            f"{result.unchanged} unchanged."
        )
