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
from common.replica import public_read
from common.spreadsheets import csv_writer
from indicators.aggregation import choices as aggregation_choices
from indicators.builtins import NEW_HIRES, TOTAL_KEY
from indicators.models import Indicator

from . import dcat, selectors, smallcell
from .caching import public_cache
from .datasets import DATASETS

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
    compared = (params.get("indicator") or "").strip() or None
    if compared is not None and selectors.chosen_indicator(compared) != compared:
        raise BadParameter(
            _("Unknown indicator code %(code)s: /api/v1/indicators/ lists the codes.")
            % {"code": repr(compared)}
        )
    page = _int_parameter(params, "page", 1, 1_000_000, default=1)
    page_size = _int_parameter(params, "page_size", 1, MAX_PAGE_SIZE, default=PAGE_SIZE)
    return {
        "year": year,
        "month": month,
        "district": district,
        "format": output_format,
        "page": page,
        "page_size": page_size,
        "indicator": selectors.chosen_indicator(compared),
    }


def _number(value):
    """A figure as JSON: a whole number, or a decimal (an average) as float."""
    return value if isinstance(value, int) else float(value)


def _figure(figure) -> dict:
    """One indicator's figure, named by the catalogue (code, names, unit)."""
    return {
        "indicator": figure.code,
        "name_ko": figure.name_ko,
        "name_en": figure.name_en,
        "unit": figure.unit_ko,
        "unit_en": figure.unit_en,
        "aggregation": figure.aggregation,
        "value": _number(figure.value),
        "target": figure.target,
    }


def _outputs(figures) -> dict:
    return {code: _figure(output) for code, output in figures.outputs.items()}


def _indicators(figures) -> dict:
    return {code: _figure(figure) for code, figure in figures.indicators.items()}


def _percent(value) -> float | None:
    return None if value is None else float(value)


def _targets(figures) -> dict:
    return {
        "jobs": figures.jobs_target,
        "budget": figures.budget,
        "jobs_by_target_group": {code: g.target for code, g in figures.groups.items()},
    }


def _common(
    figures,
    *,
    vulnerable=frozenset(),
    project_level=False,
    withheld_groups=frozenset(),
    withhold_total=False,
) -> dict:
    """The figures of one level; below the city (``project_level``) a small
    count of a vulnerable group, and a small total holding one, read "<3";
    so do the cumulatives that would give a withheld month away
    (``withheld_groups``, ``withhold_total``: ``smallcell.WithheldMonths``)."""
    groups = {
        code: smallcell.withheld_label()
        if code in withheld_groups
        else smallcell.public_figure(
            g.jobs, project_level=project_level, vulnerable=code in vulnerable
        )
        for code, g in figures.groups.items()
    }
    jobs_created = smallcell.public_total(
        figures.jobs_created,
        project_level=project_level,
        contains_withheld=any(isinstance(v, str) for v in groups.values()),
    )
    if withhold_total:
        jobs_created = smallcell.withheld_label()
    hidden = isinstance(jobs_created, str)
    indicators = _indicators(figures)
    if hidden and NEW_HIRES in indicators:
        indicators[NEW_HIRES]["value"] = jobs_created
    return {
        "jobs_created": jobs_created,
        "jobs_by_target_group": groups,
        # Both are jobs created over a published figure: withheld with it.
        "achievement_percent": None if hidden else _percent(figures.achievement),
        "spending": figures.spending,
        "execution_rate_percent": _percent(figures.execution_rate),
        "cost_per_job": None if hidden else figures.cost_per_job,
        "targets": _targets(figures),
        "outputs": _outputs(figures),
        "indicators": indicators,
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
    vulnerable = smallcell.vulnerable_codes()
    withheld = smallcell.withheld_months(rollup.year)
    month = rollup.month
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
            "year_over_year": {
                "indicator": rollup.year_over_year.indicator.code,
                "unit": rollup.year_over_year.indicator.unit_ko,
                "unit_en": rollup.year_over_year.indicator.unit_en,
                "years": [
                    {
                        "year": y.year,
                        "value": _number(y.value),
                        "growth_percent": _percent(y.growth),
                    }
                    for y in rollup.year_over_year
                ],
            },
        },
        "districts": [
            {
                "code": d.code,
                "name_ko": d.name_ko,
                "name_en": d.name_en,
                "projects": d.project_count,
                **_common(
                    d,
                    vulnerable=vulnerable,
                    project_level=True,
                    withheld_groups={
                        code
                        for code in d.groups
                        if withheld.district_group(d.code, code, month)
                    },
                    withhold_total=withheld.district_total(d.code, month),
                ),
            }
            for d in rollup.districts
        ],
        "projects": [
            {
                "code": p.code,
                "name_ko": p.name_ko,
                "name_en": p.name_en,
                "district": p.district_code,
                **_common(
                    p,
                    vulnerable=vulnerable,
                    project_level=True,
                    withheld_groups={
                        code for code in p.groups if withheld.group(p.code, code, month)
                    },
                    withhold_total=withheld.total(p.code, month),
                ),
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
    "member",
    "indicator_name_ko",
    "indicator_name_en",
    "unit",
    "unit_en",
    "value",
    "target",
]


def outcomes_csv(rollup) -> str:
    """Long format: one row per (level, code, indicator, member), the
    indicator by its catalogue code (``/api/v1/indicators/`` lists them);
    ``member`` is ``total``, or the target group of new hires."""
    out = io.StringIO()
    # The one safe writer: a byte-order mark for Korean Excel, and names and
    # units typed by districts written as text, never as formulas.
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)

    vulnerable = smallcell.vulnerable_codes()
    over_time = smallcell.withheld_months(rollup.year)
    month = rollup.month

    def cumulative_withheld(level, code, group=None) -> bool:
        """Whether this cumulative would give a withheld month away."""
        if level == "project":
            if group is None:
                return over_time.total(code, month)
            return over_time.group(code, group, month)
        if level == "district":
            if group is None:
                return over_time.district_total(code, month)
            return over_time.district_group(code, group, month)
        return False

    def rows(level, code, name_ko, name_en, district, figures):
        head = [rollup.year, rollup.month, level, code, name_ko, name_en, district]
        below_city = level != "total"
        groups = {
            group.code: smallcell.withheld_label()
            if cumulative_withheld(level, code, group.code)
            else smallcell.public_figure(
                group.jobs,
                project_level=below_city,
                vulnerable=group.code in vulnerable,
            )
            for group in figures.groups.values()
        }
        withheld = any(isinstance(value, str) for value in groups.values())
        for figure in figures.indicators.values():
            named = [figure.name_ko, figure.name_en, figure.unit_ko, figure.unit_en]
            value = figure.value
            if figure.code == NEW_HIRES:
                value = smallcell.public_total(
                    value, project_level=below_city, contains_withheld=withheld
                )
                if cumulative_withheld(level, code):
                    value = smallcell.withheld_label()
            writer.writerow(
                head + [figure.code, TOTAL_KEY, *named, value, figure.target]
            )
            if figure.code == NEW_HIRES:
                for group in figures.groups.values():
                    writer.writerow(
                        head
                        + [
                            figure.code,
                            group.code,
                            *named,
                            groups[group.code],
                            group.target,
                        ]
                    )

    rows("total", "", "", "", "", rollup.totals)
    for d in rollup.districts:
        rows("district", d.code, d.name_ko, d.name_en, d.code, d)
    for p in rollup.projects:
        rows("project", p.code, p.name_ko, p.name_en, p.district_code, p)
    return out.getvalue()


INDICATOR_COLUMNS = [
    "code",
    "name_ko",
    "name_en",
    "unit_ko",
    "unit_en",
    "aggregation",
    "disaggregation",
    "is_core",
    "is_active",
    "definition_ko",
    "definition_en",
]


def indicator_listing() -> list[dict]:
    """The catalogue, so a user can join the figures' ``indicator`` codes to
    what they are: names, unit, how the months add up, how a figure is split."""
    return [
        {column: getattr(indicator, column) for column in INDICATOR_COLUMNS}
        for indicator in Indicator.objects.order_by("code")
    ]


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
@public_read
@public_cache
def indicators(request):
    """``GET /api/v1/indicators/[?format=csv]``: the indicator catalogue."""
    with translation.override(translation.get_language_from_request(request)):
        output_format = request.GET.get("format", "json").strip().lower()
        if output_format not in ("json", "csv"):
            return _bad_request(BadParameter(_("'format' must be 'json' or 'csv'.")))
        listing = indicator_listing()
        if output_format == "json":
            return _open(
                JsonResponse(
                    {"indicators": listing}, json_dumps_params={"ensure_ascii": False}
                )
            )
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(INDICATOR_COLUMNS)
        for row in listing:
            writer.writerow([row[column] for column in INDICATOR_COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="indicators.csv"'
        return _open(response)


@require_GET
@public_read
@public_cache
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
        selectors.RollupQuery(
            year=params["year"],
            month=params["month"],
            district=params["district"],
            public=True,
            with_retention=False,
            with_timeliness=False,
            detail=False,
            project_slice=None if whole else slice(first, first + params["page_size"]),
            year_over_year=params["indicator"],
        )
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
            "indicator": {
                "type": "string",
                "description": "The catalogue code (see /api/v1/indicators/).",
            },
            "aggregation": {
                "type": "string",
                "enum": [code for code, _label in aggregation_choices()],
                "description": "How the months add up: sum, last, max or average.",
            },
            "name_ko": {"type": "string"},
            "name_en": {"type": "string"},
            "unit": {"type": "string", "description": "Unit in Korean (e.g. 가구)."},
            "unit_en": {"type": "string"},
            "value": {
                "type": "number",
                "description": (
                    "January to the month by the indicator's aggregation: the sum of "
                    "the months, the last month's value, the highest or the average."
                ),
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
                "The indicators the calls chose, keyed by catalogue code: a total adds figures "
                "of one indicator only, across projects, districts and calls."
            ),
            "additionalProperties": output,
        },
        "indicators": {
            "type": "object",
            "description": "Every indicator of the scope, the core ones too, keyed by code.",
            "additionalProperties": output,
        },
    }
    properties.update(extra or {})
    return {"type": "object", "properties": properties}


_OPENAPI_TYPES = {
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}
FILTER_NAMES_KO = {"year": "기준연도", "month": "기준월", "district": "시군구코드"}


def _standard_parameters(dataset) -> list[dict]:
    """Paging and type the portal's way (the older names as aliases), then
    the dataset's own filters; each described in Korean and English."""
    from . import opendata_api as standard

    def query(name, description, schema, required=False):
        return {
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": schema,
        }

    parameters = [
        query(
            "pageNo",
            "페이지 번호 (page number; alias: page)",
            {"type": "integer", "minimum": 1, "default": 1},
        ),
        query(
            "numOfRows",
            f"한 페이지 결과 수, 최대 {standard.MAX_ROWS} "
            "(rows a page; alias: page_size)",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": standard.MAX_ROWS,
                "default": standard.DEFAULT_ROWS,
            },
        ),
        query(
            "type",
            "응답 형식 json 또는 xml (response type; aliases: _type, format)",
            {"type": "string", "enum": ["json", "xml"], "default": "json"},
        ),
    ]
    for name, (required, description) in dataset.filters.items():
        parameters.append(
            query(
                name,
                f"{FILTER_NAMES_KO[name]} ({description})",
                {"type": "integer" if name in ("year", "month") else "string"},
                required,
            )
        )
    return parameters


def _standard_item(dataset) -> dict:
    properties = {}
    for item_field in dataset.fields:
        schema = dict(_OPENAPI_TYPES[item_field.type])
        if item_field.key == "prfmncVl":
            schema = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
        properties[item_field.key] = {
            **schema,
            "title": item_field.name_ko,
            "description": f"{item_field.name_ko} ({item_field.name_en}): "
            f"{item_field.description}",
            "nullable": True,
        }
    return {"type": "object", "properties": properties}


def standard_paths() -> dict:
    """The standard datasets' endpoints, described for the OpenAPI schema."""
    paths = {}
    for dataset in DATASETS.values():
        paths[f"/api/v1/{dataset.slug}/"] = {
            "get": {
                "summary": f"{dataset.title_ko} ({dataset.title_en})",
                "description": str(dataset.description),
                "parameters": _standard_parameters(dataset),
                "responses": {
                    "200": {
                        "description": "정상 (resultCode 00, NORMAL SERVICE.)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "response": {
                                            "type": "object",
                                            "properties": {
                                                "header": {
                                                    "$ref": "#/components/schemas/ResultHeader"
                                                },
                                                "body": {
                                                    "type": "object",
                                                    "properties": {
                                                        "items": {
                                                            "type": "object",
                                                            "properties": {
                                                                "item": {
                                                                    "type": "array",
                                                                    "items": _standard_item(
                                                                        dataset
                                                                    ),
                                                                }
                                                            },
                                                        },
                                                        "numOfRows": {
                                                            "type": "integer",
                                                            "description": "한 페이지 결과 수 (rows a page)",
                                                        },
                                                        "pageNo": {
                                                            "type": "integer",
                                                            "description": "페이지 번호 (page number)",
                                                        },
                                                        "totalCount": {
                                                            "type": "integer",
                                                            "description": "전체 결과 수 (rows on all pages)",
                                                        },
                                                    },
                                                },
                                            },
                                        }
                                    },
                                }
                            },
                            "application/xml": {"schema": {"type": "string"}},
                        },
                    },
                    "400": {
                        "description": "요청 변수 오류: resultCode 10 (INVALID REQUEST "
                        "PARAMETER ERROR.) 또는 11 (NO MANDATORY REQUEST PARAMETERS ERROR.)",
                    },
                    "404": {"description": "resultCode 12 (NO OPENAPI SERVICE ERROR.)"},
                },
            }
        }
    return paths


RESULT_HEADER_SCHEMA = {
    "type": "object",
    "properties": {
        "resultCode": {
            "type": "string",
            "description": "결과코드: 00 정상, 01 어플리케이션 에러, 10 잘못된 요청 파라메터, "
            "11 필수 요청 파라메터 없음, 12 해당 오픈API 서비스 없음, "
            "22 서비스 요청 제한 횟수 초과, 99 기타 에러",
        },
        "resultMsg": {"type": "string", "description": "결과메시지 (result message)"},
        "resultDetail": {
            "type": "string",
            "description": "오류 설명, 고칠 내용 (what to fix; errors only)",
        },
    },
}


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
            **standard_paths(),
            "/api/v1/outcomes/": {
                "get": {
                    "summary": "Outcomes of a programme year to a month (legacy)",
                    "description": (
                        "성과 요약 (기존 형식): 새 이용자는 표준 데이터셋 API를 쓰십시오. "
                        "Legacy shape kept for existing clients."
                    ),
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
                            "name": "indicator",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "default": "new_hires"},
                            "description": "The indicator (catalogue code) compared year over year.",
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
            },
            "/api/v1/indicators/": {
                "get": {
                    "summary": "The indicator catalogue: what each figure's code is",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "string",
                                "enum": ["json", "csv"],
                                "default": "json",
                            },
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Code, names, unit, aggregation, split and definition of every indicator.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "indicators": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "properties": {
                                                        column: {"type": "string"}
                                                        for column in INDICATOR_COLUMNS
                                                    },
                                                },
                                            }
                                        },
                                    }
                                },
                                "text/csv": {"schema": {"type": "string"}},
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "ResultHeader": RESULT_HEADER_SCHEMA,
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
    """The schema changes with a release, never with the data: cached for an
    hour without asking the database."""
    response = _open(
        JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@public_read
@public_cache
def catalog(request):
    """``GET /api/v1/catalog.jsonld``: the DCAT-AP catalogue (see ``dcat``)."""
    response = JsonResponse(
        dcat.catalog(request), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalog_context(request):
    """The JSON-LD context the catalogue names (a stored file, never changes
    between releases)."""
    response = JsonResponse(
        dcat.context_document(), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=86400"
    return response
