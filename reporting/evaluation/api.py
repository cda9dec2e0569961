"""The open-data API: accepted, aggregate figures only (counts and money,
never people), read from the same roll-up as every other screen.

``GET /api/v1/outcomes/?year=YYYY&month=M[&district=CODE][&page=N][&page_size=N][&format=csv]``
and its OpenAPI description at ``/api/v1/openapi.json``. A bad parameter is a
400 with a message, never a 500.

The JSON pages its ``projects`` list (``PAGE_SIZE`` a page by default, at most
``MAX_PAGE_SIZE``); the totals and districts are whole on every page. The CSV
is one file with every project.
"""

import io

from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from common.spreadsheets import csv_writer

from . import selectors

MIN_YEAR, MAX_YEAR = 2000, 2100
PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000


class BadParameter(ValueError):
    """A wrong parameter, said in the reader's language (one language: the
    language cookie, else the client's Accept-Language, else Korean)."""


def _int_parameter(
    params, name: str, low: int, high: int, default: int | None = None
) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        if default is not None:
            return default
        raise BadParameter(_("'%(name)s' is required.") % {"name": name})
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadParameter(
            _("'%(name)s' must be a whole number, not %(value)s.")
            % {"name": name, "value": repr(raw)}
        ) from None
    if not low <= value <= high:
        raise BadParameter(
            _("'%(name)s' must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


def parse_parameters(params) -> dict:
    year = _int_parameter(params, "year", MIN_YEAR, MAX_YEAR)
    month = _int_parameter(params, "month", 1, 12)
    district = None
    code = params.get("district")
    if code is not None:
        district = Organisation.objects.filter(
            code=code.strip(), kind__in=Organisation.LOCAL_KINDS
        ).first()
        if district is None:
            raise BadParameter(
                _("Unknown district code %(code)s.") % {"code": repr(code)}
            )
    output_format = params.get("format", "json").strip().lower()
    if output_format not in ("json", "csv"):
        raise BadParameter(_("'format' must be 'json' or 'csv'."))
    page = _int_parameter(params, "page", 1, 1_000_000, default=1)
    page_size = _int_parameter(params, "page_size", 1, MAX_PAGE_SIZE, default=PAGE_SIZE)
    return {
        "year": year,
        "month": month,
        "district": district,
        "format": output_format,
        "page": page,
        "page_size": page_size,
    }


def _outputs(figures) -> dict:
    return {
        code: {
            "name_ko": output.name_ko,
            "name_en": output.name_en,
            "unit": output.unit_ko,
            "unit_en": output.unit_en,
            "value": output.value,
            "target": output.target,
        }
        for code, output in figures.outputs.items()
    }


def _percent(value) -> float | None:
    return None if value is None else float(value)


def _targets(figures) -> dict:
    return {
        "jobs": figures.jobs_target,
        "budget": figures.budget,
        "jobs_by_target_group": {code: g.target for code, g in figures.groups.items()},
    }


def _common(figures) -> dict:
    return {
        "jobs_created": figures.jobs_created,
        "jobs_by_target_group": {code: g.jobs for code, g in figures.groups.items()},
        "achievement_percent": _percent(figures.achievement),
        "spending": figures.spending,
        "execution_rate_percent": _percent(figures.execution_rate),
        "cost_per_job": figures.cost_per_job,
        "targets": _targets(figures),
        "outputs": _outputs(figures),
    }


def _pagination(request, rollup, page: int, page_size: int) -> dict:
    count = rollup.totals.project_count
    pages = max((count + page_size - 1) // page_size, 1)

    def link(number):
        if not 1 <= number <= pages:
            return None
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "projects": count,
        "next": link(page + 1),
        "previous": link(page - 1),
    }


def outcomes_data(rollup, district=None, pagination: dict | None = None) -> dict:
    totals = rollup.totals
    data = {
        "period": {
            "year": rollup.year,
            "month": rollup.month,
            "from": f"{rollup.year}-01",
            "to": f"{rollup.year}-{rollup.month:02d}",
            "cumulative": True,
        },
        "scope": {"district": district.code if district else None},
        "totals": {
            "projects": totals.project_count,
            "districts": rollup.district_count,
            **_common(totals),
            "year_over_year": [
                {
                    "year": y.year,
                    "jobs_created": y.jobs_created,
                    "growth_percent": _percent(y.growth),
                }
                for y in rollup.year_over_year
            ],
        },
        "districts": [
            {
                "code": d.code,
                "name_ko": d.name_ko,
                "name_en": d.name_en,
                "projects": d.project_count,
                **_common(d),
            }
            for d in rollup.districts
        ],
        "projects": [
            {
                "code": p.code,
                "name_ko": p.name_ko,
                "name_en": p.name_en,
                "district": p.district_code,
                **_common(p),
            }
            for p in rollup.projects
        ],
    }
    if pagination is not None:
        data["pagination"] = pagination
    return data


CSV_COLUMNS = [
    "year",
    "month",
    "level",
    "code",
    "name_ko",
    "name_en",
    "district",
    "indicator",
    "unit",
    "value",
    "target",
]


def outcomes_csv(rollup) -> str:
    """Long format: one row per (level, code, indicator)."""
    out = io.StringIO()
    # The one safe writer: a byte-order mark for Korean Excel, and names and
    # units typed by districts written as text, never as formulas.
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)

    def rows(level, code, name_ko, name_en, district, figures):
        head = [rollup.year, rollup.month, level, code, name_ko, name_en, district]
        writer.writerow(
            head + ["jobs_created", "people", figures.jobs_created, figures.jobs_target]
        )
        for group in figures.groups.values():
            writer.writerow(
                head
                + [f"jobs_created.{group.code}", "people", group.jobs, group.target]
            )
        writer.writerow(head + ["spending", "KRW", figures.spending, figures.budget])
        for key, output in figures.outputs.items():
            writer.writerow(
                head + [f"output.{key}", output.unit_ko, output.value, output.target]
            )

    rows("total", "", "", "", "", rollup.totals)
    for d in rollup.districts:
        rows("district", d.code, d.name_ko, d.name_en, d.code, d)
    for p in rollup.projects:
        rows("project", p.code, p.name_ko, p.name_en, p.district_code, p)
    return out.getvalue()


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _bad_request(error: BadParameter):
    return _open(
        JsonResponse(
            {"error": str(error)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    )


@require_GET
def outcomes(request):
    with translation.override(translation.get_language_from_request(request)):
        return _outcomes(request)


def _outcomes(request):
    try:
        params = parse_parameters(request.GET)
    except BadParameter as error:
        return _bad_request(error)
    whole = params["format"] == "csv"
    first = (params["page"] - 1) * params["page_size"]
    rollup = selectors.rollup(
        year=params["year"],
        month=params["month"],
        district=params["district"],
        public=True,
        with_retention=False,
        with_timeliness=False,
        detail=False,
        project_slice=None if whole else slice(first, first + params["page_size"]),
    )
    if whole:
        response = HttpResponse(
            outcomes_csv(rollup), content_type="text/csv; charset=utf-8"
        )
        name = f"outcomes-{params['year']}-{params['month']:02d}"
        if params["district"]:
            name += f"-{params['district'].code}"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return _open(response)
    pagination = _pagination(request, rollup, params["page"], params["page_size"])
    if params["page"] > pagination["pages"]:
        return _bad_request(
            BadParameter(
                _(
                    "'page' must be between 1 and %(pages)s: there are %(projects)s projects, %(page_size)s a page."
                )
                % {
                    "pages": pagination["pages"],
                    "projects": pagination["projects"],
                    "page_size": params["page_size"],
                }
            )
        )
    return _open(
        JsonResponse(
            outcomes_data(rollup, params["district"], pagination),
            json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
        )
    )


def _figures_schema(extra: dict | None = None) -> dict:
    output = {
        "type": "object",
        "properties": {
            "name_ko": {"type": "string"},
            "name_en": {"type": "string"},
            "unit": {"type": "string", "description": "Unit in Korean (e.g. 가구)."},
            "unit_en": {"type": "string"},
            "value": {
                "type": "integer",
                "description": "Delivered, January to the month (cumulative).",
            },
            "target": {"type": "integer"},
        },
    }
    properties = {
        "jobs_created": {
            "type": "integer",
            "description": "New hires, January to the month (cumulative).",
        },
        "jobs_by_target_group": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
        },
        "achievement_percent": {"type": "number", "nullable": True},
        "spending": {
            "type": "integer",
            "description": "KRW spent, January to the month.",
        },
        "execution_rate_percent": {"type": "number", "nullable": True},
        "cost_per_job": {
            "type": "integer",
            "nullable": True,
            "description": "KRW per job created.",
        },
        "targets": {
            "type": "object",
            "properties": {
                "jobs": {"type": "integer"},
                "budget": {"type": "integer"},
                "jobs_by_target_group": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
        },
        "outputs": {
            "type": "object",
            "description": (
                "Keyed by indicator code; where projects of the scope count one code in different units, "
                "by code.unit (e.g. cases.건, cases.개소): outputs add up only with the same indicator and unit."
            ),
            "additionalProperties": output,
        },
    }
    properties.update(extra or {})
    return {"type": "object", "properties": properties}


def openapi_schema() -> dict:
    named = {
        "code": {"type": "string"},
        "name_ko": {"type": "string"},
        "name_en": {"type": "string"},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Sangsaeng outcomes (상생협력 특화일자리 성과)",
            "version": "1.0.0",
            "description": (
                "Accepted monthly figures of the city–district job projects, as aggregates only: "
                "counts and money, never people. Figures are cumulative from January to the month."
            ),
        },
        "paths": {
            "/api/v1/outcomes/": {
                "get": {
                    "summary": "Outcomes of a programme year to a month",
                    "parameters": [
                        {
                            "name": "year",
                            "in": "query",
                            "required": True,
                            "schema": {
                                "type": "integer",
                                "minimum": MIN_YEAR,
                                "maximum": MAX_YEAR,
                            },
                        },
                        {
                            "name": "month",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 12},
                        },
                        {
                            "name": "district",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "District code, e.g. BP.",
                        },
                        {
                            "name": "format",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "string",
                                "enum": ["json", "csv"],
                                "default": "json",
                            },
                            "description": "CSV is one file with every project; JSON pages the projects.",
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                            "description": "Page of the projects list (JSON).",
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE_SIZE,
                                "default": PAGE_SIZE,
                            },
                            "description": "Projects a page (JSON).",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The figures.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Outcomes"}
                                },
                                "text/csv": {"schema": {"type": "string"}},
                            },
                        },
                        "400": {
                            "description": "A parameter is missing or wrong.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                },
                "Outcomes": {
                    "type": "object",
                    "required": ["period", "totals", "districts", "projects"],
                    "properties": {
                        "period": {
                            "type": "object",
                            "properties": {
                                "year": {"type": "integer"},
                                "month": {"type": "integer"},
                                "from": {"type": "string", "example": "2019-01"},
                                "to": {"type": "string", "example": "2019-09"},
                                "cumulative": {"type": "boolean"},
                            },
                        },
                        "scope": {
                            "type": "object",
                            "properties": {
                                "district": {"type": "string", "nullable": True}
                            },
                        },
                        "totals": _figures_schema(
                            {
                                "projects": {"type": "integer"},
                                "districts": {"type": "integer"},
                            }
                        ),
                        "districts": {
                            "type": "array",
                            "items": _figures_schema(
                                {**named, "projects": {"type": "integer"}}
                            ),
                        },
                        "projects": {
                            "type": "array",
                            "description": "One page of the projects, in district and code order.",
                            "items": _figures_schema(
                                {**named, "district": {"type": "string"}}
                            ),
                        },
                        "pagination": {
                            "type": "object",
                            "properties": {
                                "page": {"type": "integer"},
                                "page_size": {"type": "integer"},
                                "pages": {"type": "integer"},
                                "projects": {
                                    "type": "integer",
                                    "description": "Projects on all pages.",
                                },
                                "next": {"type": "string", "nullable": True},
                                "previous": {"type": "string", "nullable": True},
                            },
                        },
                    },
                },
            }
        },
    }


@require_GET
def openapi(request):
    return _open(
        JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})
    )
