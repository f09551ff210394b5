"""``manage.py demo_accounts``: the demo sign-ins per role, with the TOTP secret and the current code."""

from django.core.management.base import BaseCommand

from govlab.demo import data
from govlab.demo.accounts import current_totp_code, demo_accounts, other_demo_people, otpauth_uri


class Command(BaseCommand):
    help = "Print the demo sign-ins (e-mail, password, role, lab) and how to pass the second factor."

    def handle(self, *args, **options):
        accounts = demo_accounts()
        width = max(len(account.email) for account in accounts)
        role_width = max(len(account.role) for account in accounts)
        self.stdout.write(f"Demo sign-ins — password for all: {data.DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"  {'e-mail':<{width}}  {'role':<{role_width}}  {'lab':<26}  TOTP")
        for account in accounts:
            totp = "yes" if account.totp else "no"
            missing = "" if account.exists else "  (not loaded: run `manage.py load_demo`)"
            line = f"  {account.email:<{width}}  {account.role:<{role_width}}  {account.lab:<26}  {totp}"
            self.stdout.write(line + missing)
        others = other_demo_people()
        if others:
            self.stdout.write("")
            self.stdout.write(
                "Other demo people (same password, no TOTP unless they are lab managers or staff):"
            )
            for email, roles in others:
                self.stdout.write(f"  {email:<{width}}  {roles}")
        code, seconds = current_totp_code()
        self.stdout.write("")
        self.stdout.write(
            f"Accounts with TOTP share the secret {data.DEMO_TOTP_SECRET} (base32, 30 s, 6 digits)."
        )
        self.stdout.write(f"Add it to an authenticator app, e.g. with {otpauth_uri(data.ADMIN_EMAIL)}")
        self.stdout.write(f"or type it in by hand. The code right now is {code} (valid {seconds} s more);")
        self.stdout.write("run this command again for a fresh one.")
