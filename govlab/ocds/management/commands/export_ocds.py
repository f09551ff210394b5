"""``export_ocds --output DIR [--lab SLUG] [--page-size N]``: write the published OCDS releases as files."""

from django.core.management.base import BaseCommand, CommandError

from govlab.labs.models import Lab
from govlab.ocds.export import DEFAULT_PAGE_SIZE, export


class Command(BaseCommand):
    help = (
        "Write one release package and one record package per contracting process, and paginated bulk "
        "release packages, from the published OCDS releases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder to write into (created if missing).")
        parser.add_argument("--lab", default="", help="Only this lab's processes (its short name).")
        parser.add_argument(
            "--page-size", type=int, default=DEFAULT_PAGE_SIZE, help="Releases per bulk file (default 1000)."
        )

    def handle(self, *args, output, lab, page_size, **options):
        if page_size < 1:
            raise CommandError("--page-size must be at least 1.")
        chosen = None
        if lab:
            chosen = Lab.objects.filter(slug=lab).first()
            if chosen is None:
                raise CommandError(f"No lab is called “{lab}”.")
        result = export(output, lab=chosen, page_size=page_size)
        self.stdout.write(
            f"{result.processes} processes, {result.releases} releases, {result.bulk_files} bulk files "
            f"written to {output}."
        )
