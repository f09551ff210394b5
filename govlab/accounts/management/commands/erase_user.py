"""Erase a person's personal data on request (GDPR), keeping the audit trail: ``erase_user <email>``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from govlab.accounts.models import User
from govlab.accounts.services import user_erase


class Command(BaseCommand):
    help = "Erase the personal data of the person who signs in with EMAIL (their audit entries are kept)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reason", default="", help="Why (e.g. the reference of the request).")
        parser.add_argument(
            "--by", default="", help="E-mail address of the superuser on whose behalf this is done."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email, reason, by, yes, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Nobody signs in with {email}.")
        erased_by = None
        if by:
            erased_by = User.objects.filter(
                email__iexact=by.strip(), is_superuser=True, is_active=True
            ).first()
            if erased_by is None:
                raise CommandError(f"{by} is not an active superuser.")
        if not yes:
            answer = input(f"Erase the personal data of {user.email}? This cannot be undone. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was erased.")
        try:
            user_erase(user=user, erased_by=erased_by, reason=reason or "Erased with the erase_user command.")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        user.refresh_from_db()
        self.stdout.write(self.style.SUCCESS(f"Erased: the account is now {user.email}."))
