import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DEVICE_NAME, demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current sign-in code of a demo account (city, reviewer1…5). "
        'Only demo authenticators (named "demo", made by seed_demo) are served.'
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            code = demo_totp_code(username)
        except TOTPDevice.DoesNotExist:
            raise CommandError(
                f'{username} has no demo authenticator (device named "{DEMO_DEVICE_NAME}"); '
                "this command gives codes for the demo accounts only."
            ) from None
        seconds_left = 30 - int(time.time()) % 30
        self.stdout.write(code)
        self.stderr.write(
            f"valid for about {seconds_left} more seconds; each code signs in once"
        )
