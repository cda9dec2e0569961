"""The dataset pages of the public site (공공데이터 목록) and their downloads.

``/data/`` lists the standard datasets; ``/data/<slug>/`` says what one holds,
its update cycle, licence, fields (Korean and English names, types) and the
small-cell rule, and links its downloads: CSV (UTF-8 with a byte-order mark,
for Korean Excel), JSON and XLSX, the files written by ``common.spreadsheets``
so a title typed as a formula is shown, never run. Public data only (see
``datasets``); cached on the data stamp like the API.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from tablib import Dataset as Table

from common.replica import public_read
from common.spreadsheets import dataset_export

from . import dcat, smallcell
from .caching import public_cache
from .datasets import DATASETS, latest_year

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _dataset_or_404(slug: str):
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("No such dataset."))
    return dataset


def _filters(dataset, request) -> dict:
    """The year for a dataset that needs one: the one asked for, else the
    latest with accepted figures; anything unreadable is a 404."""
    filters = {}
    if "year" in dataset.filters:
        raw = request.GET.get("year", "").strip()
        if raw:
            if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
                raise Http404(_("No such year."))
            filters["year"] = int(raw)
        elif dataset.filters["year"][0]:
            filters["year"] = latest_year()
    return filters


@require_GET
@public_read
@public_cache
def dataset_list(request):
    return render(
        request,
        "evaluation/datasets/list.html",
        {"datasets": DATASETS.values(), "licence": dcat.licence()},
    )


@require_GET
@public_read
@public_cache
def dataset_detail(request, slug: str):
    dataset = _dataset_or_404(slug)
    filters = _filters(dataset, request)
    return render(
        request,
        "evaluation/datasets/detail.html",
        {
            "dataset": dataset,
            "licence": dcat.licence(),
            "year": filters.get("year"),
            "threshold": smallcell.threshold(),
            "formats": list(CONTENT_TYPES),
        },
    )


def download_bytes(dataset, fmt: str, rows: list[dict]) -> bytes:
    if fmt == "json":
        return json.dumps(
            {"fields": dataset.keys, "items": rows}, ensure_ascii=False
        ).encode()
    table = Table(headers=[f.name_ko for f in dataset.fields])
    for row in rows:
        table.append([row[key] for key in dataset.keys])
    exported = dataset_export(table, fmt)
    return exported.encode() if isinstance(exported, str) else exported


@require_GET
@public_read
@public_cache
def dataset_download(request, slug: str, fmt: str):
    dataset = _dataset_or_404(slug)
    if fmt not in CONTENT_TYPES:
        raise Http404(_("No such format."))
    filters = _filters(dataset, request)
    response = HttpResponse(
        download_bytes(dataset, fmt, dataset.rows(**filters)),
        content_type=CONTENT_TYPES[fmt],
    )
    name = dataset.slug + (f"-{filters['year']}" if "year" in filters else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
