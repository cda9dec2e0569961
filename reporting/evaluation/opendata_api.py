"""The standard datasets as a 공공데이터포털-style API.

``GET /api/v1/<dataset>/?pageNo=1&numOfRows=10&type=json|xml[&year=…]`` answers

    {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
                  "body": {"items": {"item": [...]}, "numOfRows": 10,
                           "pageNo": 1, "totalCount": 123}}}

or the same tree as XML. ``page``/``page_size`` (this API's older names) and
``_type``/``format`` are read as aliases. A refused request keeps the portal's
result codes (10 a wrong parameter, 11 a missing one, 12 no such service, 99
an unknown error) with the portal's message, a ``resultDetail`` saying what to
fix in the reader's language, and an HTTP status that says the same.
"""

import json
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from common.replica import public_read

from .caching import public_cache
from .datasets import DATASETS

DEFAULT_ROWS, MAX_ROWS = 10, 1000
MIN_YEAR, MAX_YEAR = 2000, 2100

NORMAL = "00"
APPLICATION_ERROR = "01"
INVALID_PARAMETER = "10"
MISSING_PARAMETER = "11"
NO_SERVICE = "12"
TOO_MANY_REQUESTS = "22"
UNKNOWN_ERROR = "99"

RESULT_MESSAGES = {
    NORMAL: "NORMAL SERVICE.",
    APPLICATION_ERROR: "APPLICATION ERROR.",
    INVALID_PARAMETER: "INVALID REQUEST PARAMETER ERROR.",
    MISSING_PARAMETER: "NO MANDATORY REQUEST PARAMETERS ERROR.",
    NO_SERVICE: "NO OPENAPI SERVICE ERROR.",
    TOO_MANY_REQUESTS: "LIMITED NUMBER OF SERVICE REQUESTS EXCEEDS ERROR.",
    UNKNOWN_ERROR: "UNKNOWN ERROR.",
}
HTTP_STATUS = {
    INVALID_PARAMETER: 400,
    MISSING_PARAMETER: 400,
    NO_SERVICE: 404,
    TOO_MANY_REQUESTS: 429,
    APPLICATION_ERROR: 500,
    UNKNOWN_ERROR: 500,
}

# Standard name first, then the aliases this API has always read.
PAGE_NAMES = ("pageNo", "page")
ROWS_NAMES = ("numOfRows", "page_size")
TYPE_NAMES = ("type", "_type", "format")


class Refused(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


def _first(params, names):
    for name in names:
        if params.get(name) not in (None, ""):
            return name, params[name].strip()
    return names[0], None


def _whole(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise Refused(
            INVALID_PARAMETER,
            _("'%(name)s' must be a whole number, not %(value)s.")
            % {"name": name, "value": repr(raw)},
        ) from None
    if not low <= value <= high:
        raise Refused(
            INVALID_PARAMETER,
            _("'%(name)s' must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def output_type(params) -> str:
    name, raw = _first(params, TYPE_NAMES)
    chosen = (raw or "json").lower()
    if chosen not in ("json", "xml"):
        raise Refused(
            INVALID_PARAMETER,
            _("'%(name)s' must be 'json' or 'xml'.") % {"name": name},
        )
    return chosen


def parse_request(dataset, params) -> dict:
    """Paging and the dataset's filters, checked; a Refused says what to fix."""
    page_name, page_raw = _first(params, PAGE_NAMES)
    rows_name, rows_raw = _first(params, ROWS_NAMES)
    parsed = {
        "page": _whole(page_name, page_raw, 1, 1_000_000) if page_raw else 1,
        "rows": _whole(rows_name, rows_raw, 1, MAX_ROWS) if rows_raw else DEFAULT_ROWS,
        "filters": {},
    }
    for name, (required, _description) in dataset.filters.items():
        raw = (params.get(name) or "").strip()
        if not raw:
            if required:
                raise Refused(
                    MISSING_PARAMETER, _("'%(name)s' is required.") % {"name": name}
                )
            continue
        if name == "year":
            parsed["filters"]["year"] = _whole(name, raw, MIN_YEAR, MAX_YEAR)
        elif name == "month":
            parsed["filters"]["month"] = _whole(name, raw, 1, 12)
        elif name == "district":
            district = Organisation.objects.filter(
                code=raw, kind__in=Organisation.LOCAL_KINDS
            ).first()
            if district is None:
                raise Refused(
                    INVALID_PARAMETER,
                    _("Unknown district code %(code)s.") % {"code": repr(raw)},
                )
            parsed["filters"]["district"] = district
    return parsed


def envelope(items, *, page: int, rows: int, total: int) -> dict:
    return {
        "response": {
            "header": {"resultCode": NORMAL, "resultMsg": RESULT_MESSAGES[NORMAL]},
            "body": {
                "items": {"item": items},
                "numOfRows": rows,
                "pageNo": page,
                "totalCount": total,
            },
        }
    }


def refusal(code: str, detail: str) -> dict:
    return {
        "response": {
            "header": {
                "resultCode": code,
                "resultMsg": RESULT_MESSAGES[code],
                "resultDetail": detail,
            }
        }
    }


def _xml_value(element, value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "item" and isinstance(inner, list):
                for item in inner:
                    _xml_value(ElementTree.SubElement(element, "item"), item)
            else:
                _xml_value(ElementTree.SubElement(element, key), inner)
    elif value is not None:
        element.text = str(value)


def to_xml(document: dict) -> bytes:
    """The JSON tree as the portal's XML: one element per key, ``item``
    repeated; a null is an empty element."""
    ((root_name, content),) = document.items()
    root = ElementTree.Element(root_name)
    _xml_value(root, content)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def render(document: dict, chosen: str, status: int = 200) -> HttpResponse:
    if chosen == "xml":
        response = HttpResponse(
            to_xml(document), content_type="application/xml; charset=utf-8"
        )
    else:
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")),
            content_type="application/json; charset=utf-8",
        )
    response.status_code = status
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _refused(error: Refused, chosen: str) -> HttpResponse:
    response = render(
        refusal(error.code, error.detail), chosen, HTTP_STATUS[error.code]
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@public_read
@public_cache
def dataset_api(request, slug: str):
    with translation.override(translation.get_language_from_request(request)):
        try:
            chosen = output_type(request.GET)
        except Refused as error:
            return _refused(error, "json")
        dataset = DATASETS.get(slug)
        if dataset is None:
            return _refused(
                Refused(
                    NO_SERVICE,
                    _("No dataset %(name)s: /api/v1/openapi.json lists them.")
                    % {"name": repr(slug)},
                ),
                chosen,
            )
        try:
            parsed = parse_request(dataset, request.GET)
        except Refused as error:
            return _refused(error, chosen)
        first = (parsed["page"] - 1) * parsed["rows"]
        page, total = dataset.page(first, parsed["rows"], **parsed["filters"])
        return render(
            envelope(page, page=parsed["page"], rows=parsed["rows"], total=total),
            chosen,
        )
