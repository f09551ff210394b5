from django.core.management.base import BaseCommand, CommandError

from govlab.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Check that the audit log's hash chain is intact (nothing changed or removed)."

    def handle(self, *args, **options):
        result = audit_verify_chain()
        if not result.ok:
            raise CommandError(
                f"The audit log is broken at entry {result.first_broken_id} "
                f"(after {result.checked} intact entries)."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact: {result.checked} entries checked."))
