from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ...safety import SpreadsheetRefused
from ...services import UploadRejected, upload_confirm, upload_preview


class Command(BaseCommand):
    help = (
        "Check a filled monthly report file and save it as the month's draft (or only "
        "show what would change, with --dry-run). Exits non-zero on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and preview; save nothing"
        )
        parser.add_argument(
            "--user",
            help="the district officer who files (required to save; access rules apply)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = None
        if options["user"]:
            actor = (
                get_user_model()
                .objects.filter(username=options["user"], is_active=True)
                .first()
            )
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}")
        elif not options["dry_run"]:
            raise CommandError(
                "--user is required to save (the district officer who files the report)"
            )
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                preview = upload_preview(
                    data=data,
                    filename=path.name,
                    actor=actor or _Operator(),
                    check_may_save=actor is not None,
                )
                self._print(preview)
                if preview.errors:
                    raise CommandError(
                        f"{len(preview.errors)} error(s); nothing would be saved"
                    )
                self.stdout.write("dry run: nothing saved")
                return
            outcome = upload_confirm(data=data, filename=path.name, actor=actor)
        except SpreadsheetRefused as refusal:
            raise CommandError(refusal.message) from None
        except UploadRejected as rejected:
            self._print(rejected.preview)
            raise CommandError(
                f"{len(rejected.preview.errors)} error(s); nothing saved"
            ) from None
        except PermissionDenied:
            raise CommandError(
                "not allowed: only the district's officer files this report"
            ) from None
        self._print(outcome.preview)
        if outcome.changed:
            self.stdout.write(f"saved: {outcome.version}")
        else:
            self.stdout.write("unchanged: nothing saved")

    def _print(self, preview):
        for line in preview.lines():
            self.stdout.write(line)


class _Operator:
    """The operator at the server's shell, for a dry run without --user: sees
    every project, saves nothing."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    _sangsaeng_roles = frozenset()
