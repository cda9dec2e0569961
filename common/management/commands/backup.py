from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a consistent backup of the database and uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups")

    def handle(self, *args, output_dir="backups", **options):
        try:
            path = backup_create(destination_dir=Path(output_dir))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
