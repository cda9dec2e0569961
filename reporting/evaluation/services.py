"""Evaluating a call's projects at year end, and publishing the grades."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access

from . import scoring, selectors
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    EvaluationScheme,
    ProjectEvaluation,
    QualitativeScore,
    published_refusal,
    score_range_refusal,
)
from .tasks import build_report_file as build_report_file_task


def measures_of(figures) -> dict[str, Decimal | None]:
    """A project's quantitative measures, in %, from its roll-up figures."""
    return {
        "jobs": figures.achievement,
        "outputs": figures.output_achievement,
        "execution": figures.execution_rate,
        "timeliness": figures.on_time_rate,
    }


def qualitative_of(scheme: EvaluationScheme) -> dict[int, Decimal | None]:
    """Per project, the reviewers' scores averaged (trimmed when the scheme asks)."""
    scores: dict[int, list[Decimal]] = {}
    for project_id, score in QualitativeScore.objects.filter(scheme=scheme).values_list(
        "project_id", "score"
    ):
        scores.setdefault(project_id, []).append(score)
    if scheme.trim_qualitative:
        return {pk: scoring.trimmed_mean(values) for pk, values in scores.items()}
    return {pk: scoring.mean(values) for pk, values in scores.items()}


@transaction.atomic
def evaluation_compute(
    *, scheme: EvaluationScheme, actor, now: datetime | None = None
) -> list[ProjectEvaluation]:
    """Score, rank and grade every project of the scheme's call, replacing the
    previous run. Published grades are final: compute refuses after publishing."""
    if actor is not None and not access.can(actor, "manage_evaluation"):
        raise PermissionDenied
    if _published_now(scheme):
        raise published_refusal()
    now = now or timezone.now()
    rollup = selectors.rollup(
        selectors.RollupQuery(
            year=scheme.year,
            month=scheme.as_of_month,
            call=scheme.call,
            now=now,
            with_retention=False,
        )
    )
    qualitative = qualitative_of(scheme)
    weights = scheme.weights
    rows = []
    for figures in rollup.projects:
        measures = measures_of(figures)
        measures["qualitative"] = qualitative.get(figures.project_id)
        rows.append((figures, measures, scoring.weighted_score(measures, weights)))
    rows.sort(key=lambda row: (row[2] is None, -(row[2] or 0), row[0].code))
    tiers = list(scheme.tiers.all())
    grades = scoring.assign_grades(
        [(figures.project_id, score) for figures, _m, score in rows],
        [
            scoring.Tier(key=tier.pk, count=tier.count, threshold=tier.threshold)
            for tier in tiers
        ],
    )
    tier_by_pk = {tier.pk: tier for tier in tiers}
    ProjectEvaluation.objects.filter(scheme=scheme).delete()
    evaluations = []
    for rank, (figures, measures, score) in enumerate(rows, start=1):
        qualitative_score = measures["qualitative"]
        evaluations.append(
            ProjectEvaluation(
                scheme=scheme,
                project_id=figures.project_id,
                job_achievement=measures["jobs"],
                output_achievement=_one_place(measures["outputs"]),
                execution_rate=measures["execution"],
                timeliness=measures["timeliness"],
                qualitative=None
                if qualitative_score is None
                else qualitative_score.quantize(scoring.TWO_PLACES),
                score=score,
                rank=rank if score is not None else None,
                grade=tier_by_pk.get(grades.get(figures.project_id)),
                computed_at=now,
            )
        )
    ProjectEvaluation.objects.bulk_create(evaluations)
    scheme.evaluated_at = now
    scheme.save(update_fields=["evaluated_at"])
    return evaluations


def _published_now(scheme: EvaluationScheme) -> bool:
    """Published as stored, read under a row lock so a reopening and a change
    cannot cross (the caller's copy may be stale)."""
    return (
        EvaluationScheme.objects.select_for_update()
        .filter(pk=scheme.pk, published_at__isnull=False)
        .exists()
    )


def _one_place(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(scoring.ONE_PLACE)


@transaction.atomic
def evaluation_publish(
    *, scheme: EvaluationScheme, actor, now: datetime | None = None
) -> EvaluationScheme:
    """Make the grades final: they show to the districts and feed the next call."""
    if actor is not None and not access.can(actor, "manage_evaluation"):
        raise PermissionDenied
    if scheme.evaluated_at is None:
        raise ValidationError(_("Evaluate the projects before publishing the grades."))
    if _published_now(scheme):
        raise ValidationError(_("These grades are already published."))
    scheme.published_at = now or timezone.now()
    scheme.save(update_fields=["published_at"])
    return scheme


@transaction.atomic
def evaluation_reopen(
    *, scheme: EvaluationScheme, actor, reason: str
) -> EvaluationScheme:
    """Take published grades back so they can be corrected: the one way to
    change a published scheme, its tiers or its scores. The caller makes sure
    the person re-authenticated (``accounts.reauth``); the reason and who
    reopened go to the audit trail with the change of ``published_at``. The
    grades stop feeding the next call until they are published again."""
    if actor is None or not access.can(actor, "manage_evaluation"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _(
                "Say why the published grades are reopened; the reason is kept in the audit trail."
            )
        )
    if not _published_now(scheme):
        raise ValidationError(
            _("These grades are not published; there is nothing to reopen.")
        )
    scheme.refresh_from_db()
    scheme.published_at = None
    scheme._reopen_reason = reason
    try:
        scheme.save(update_fields=["published_at"])
    finally:
        del scheme._reopen_reason
    return scheme


def _score_value(score) -> Decimal:
    """A score as typed (text or number) → Decimal, or the range message."""
    try:
        value = Decimal(str(score).strip().replace(",", "."))
    except ArithmeticError:
        raise score_range_refusal() from None
    if (
        not value.is_finite()
        or not SCORE_MIN <= value <= SCORE_MAX
        or value != value.quantize(scoring.TWO_PLACES)
    ):
        raise score_range_refusal()
    return value


# The city enters no qualitative score: each reviewer enters their own
# (``qualitative.qualitative_score_submit``).


# --- evaluation report files ----------------------------------------------------

BUILDER_VERSION = "1"  # raise when the workbook or PDF layout changes


def report_fingerprint(
    *, kind: str, year: int, month: int, district, language: str
) -> str:
    """Everything a report file is made from, hashed: same inputs, same file."""
    import hashlib

    stamp = selectors.data_stamp(year=year, month=month, district=district)
    text = "|".join(
        [
            BUILDER_VERSION,
            kind,
            str(year),
            str(month),
            district.code if district else "",
            language,
            stamp,
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_file_request(
    *, user, kind: str, year: int, month: int, district=None, language: str = "ko"
):
    """The file for this request if an unchanged one was built before
    (``(file, None)``), otherwise a background job that builds it (``(None, job)``).
    A district user's request is for their own district; anyone else's is a 404."""
    from common.services import job_start

    from .models import ReportFile, ReportKind

    if kind not in ReportKind.values:
        raise ValidationError(_("Unknown kind of report."))
    district = access.district_scope_for(user, district)
    fingerprint = report_fingerprint(
        kind=kind, year=year, month=month, district=district, language=language
    )
    existing = ReportFile.objects.filter(fingerprint=fingerprint).first()
    if (
        existing is not None
        and existing.file
        and existing.file.storage.exists(existing.file.name)
    ):
        return existing, None
    job = job_start(
        kind="evaluation_report",
        owner=user,
        task=build_report_file_task,
        parameters={
            "kind": kind,
            "year": year,
            "month": month,
            "language": language,
            "district_id": district.pk if district else None,
        },
    )
    return None, job


def report_title(*, year: int, month: int, district=None) -> str:
    if district is not None:
        return _("%(district)s job projects: outcomes to %(month)s/%(year)s") % {
            "district": district.name,
            "month": month,
            "year": year,
        }
    return _("City–district job projects: outcomes to %(month)s/%(year)s") % {
        "month": month,
        "year": year,
    }


def report_file_build(*, job) -> "ReportFile":  # noqa: F821
    """Build the file a job asks for (in the worker), store it under its
    fingerprint and attach it to the job."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from accounts.models import Organisation
    from common.services import job_mark_running, job_progress

    from .exports.pdf import build_pdf
    from .exports.workbook import build_workbook
    from .models import ReportFile, ReportKind

    params = job.parameters
    requested = (
        Organisation.objects.filter(pk=params.get("district_id")).first()
        if params.get("district_id")
        else None
    )
    district = access.district_scope_for(
        job.owner, requested
    )  # the owner's rights now, not at request time
    kind, year, month, language = (
        params["kind"],
        params["year"],
        params["month"],
        params.get("language", "ko"),
    )
    job_mark_running(job=job, total=10)
    with translation.override(language):
        fingerprint = report_fingerprint(
            kind=kind, year=year, month=month, district=district, language=language
        )
        existing = ReportFile.objects.filter(fingerprint=fingerprint).first()
        if (
            existing is None
            or not existing.file
            or not existing.file.storage.exists(existing.file.name)
        ):
            rollup = selectors.rollup(
                selectors.RollupQuery(year=year, month=month, district=district)
            )
            job_progress(job=job, done=1)

            def progress(done, total):
                job_progress(job=job, done=1 + done, total=total + 2)

            title = report_title(year=year, month=month, district=district)
            builder = build_workbook if kind == ReportKind.WORKBOOK else build_pdf
            content = builder(rollup, title=title, progress=progress)
            name = f"sangsaeng-{year}-{month:02d}{'-' + district.code if district else ''}.{kind}"
            if existing is None:
                existing = ReportFile(
                    kind=kind,
                    year=year,
                    month=month,
                    district=district,
                    language=language,
                    fingerprint=fingerprint,
                    created_by=job.owner,
                )
            existing.file.save(name, ContentFile(content), save=False)
            existing.save()
    job.result_file.name = existing.file.name
    job.save(update_fields=["result_file", "updated_at"])
    return existing
