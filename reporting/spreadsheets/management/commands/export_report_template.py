from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts import access
from projects.models import Project
from projects.months import parse_month

from ...safety import SpreadsheetRefused
from ...services import template_for


class Command(BaseCommand):
    help = "Write the prefilled template workbook of a project's month (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--project", required=True, help="project code, e.g. 2019-BP-01"
        )
        parser.add_argument("--period", required=True, help="month, YYYY-MM")
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument(
            "--user",
            help="act as this user (access rules apply); default: the operator",
        )

    def handle(self, *args, **options):
        try:
            period = parse_month(options["period"])
        except ValueError:
            raise CommandError(
                f"--period must be YYYY-MM, not {options['period']!r}"
            ) from None
        actor = None
        projects = Project.objects.all()
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['user']!r}")
            projects = access.visible_to(actor, Project)
        project = projects.filter(code=options["project"]).first()
        if project is None:
            raise CommandError(
                f"no project {options['project']!r}" + (" you may see" if actor else "")
            )
        try:
            content = template_for(actor=actor, project=project, period=period)
        except (SpreadsheetRefused, PermissionDenied) as error:
            raise CommandError(getattr(error, "message", "not allowed")) from None
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            f"{options['output']}: {project.code} {options['period']} ({len(content):,} bytes)"
        )
