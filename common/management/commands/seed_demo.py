from django.core.management.base import BaseCommand

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_TWO_FACTOR_USERNAMES,
    demo_totp_key_for_people,
    seed_accounts,
)
from closeout.demo import seed_closures, seed_final_reports
from cms.demo import seed_call_faqs, seed_home_page
from competitions.demo import seed_calls
from funding.demo import seed_funding, seed_settlements
from inspections.demo import seed_inspections
from notifications.services import silenced as notifications_silenced
from projects.demo import seed_projects
from reporting.demo import seed_reports
from reporting.evaluation.demo import seed_evaluation_demo


class Command(BaseCommand):
    help = "Load the Incheon demo (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-accounts",
            action="store_true",
            help="Do not print the demo logins.",
        )

    def handle(self, *args, quiet_accounts=False, **options):
        # The demo is history (decisions of 2018 and 2019): it tells nobody.
        with notifications_silenced():
            accounts = seed_accounts()
            home = seed_home_page()
            seed_calls(home)
            seed_call_faqs()
            seed_reports(seed_projects())
            seed_funding()
            seed_inspections()
            seed_evaluation_demo()
            # The settlements before the final reports, which show them.
            seed_settlements()
            seed_final_reports()
            seed_closures()
        if quiet_accounts:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD})")
        )
        for username, role, organisation in accounts:
            code = " + sign-in code" if username in DEMO_TWO_FACTOR_USERNAMES else ""
            self.stdout.write(f"  {username:<20} {role:<22} {organisation}{code}")
        self.stdout.write(
            "  A sign-in code (city managers, reviewers) is printed by\n"
            "    .venv/bin/python manage.py demo_totp USERNAME\n"
            f"  or shown by an authenticator app given the key {demo_totp_key_for_people()}"
        )
        self.stdout.write("")
