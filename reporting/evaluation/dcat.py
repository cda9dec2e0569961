"""The metadata catalogue (DCAT-AP, JSON-LD) the national portal harvests.

``/api/v1/catalog.jsonld`` is a ``dcat:Catalog`` of the standard datasets,
each with a ``dcat:Distribution`` per format (CSV, JSON, XLSX downloads and the
API), its licence, publisher and last change. Its ``@context`` is the address
of ``jsonld/catalog-context.jsonld``, served by ``/api/v1/catalog-context.jsonld``
so a harvester (and our test, offline) expands it with exactly these terms.

Licence and publisher are settings (``OPEN_DATA_LICENCE``, ``OPEN_DATA_PUBLISHER``):
공공누리 제1유형 (출처표시) and the demo's city by default.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .caching import current_stamp
from .datasets import DATASETS

CONTEXT_FILE = Path(__file__).parent / "jsonld" / "catalog-context.jsonld"

DEFAULT_LICENCE = {
    "url": "https://www.kogl.or.kr/info/licenseType1.do",
    "name_ko": "공공누리 제1유형: 출처표시",
    "name_en": "Korea Open Government License Type 1: Attribution",
}
DEFAULT_PUBLISHER = {
    "name_ko": "인천광역시",
    "name_en": "Incheon Metropolitan City",
    "url": "https://www.incheon.go.kr/",
}
FORMATS = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "json": "https://www.iana.org/assignments/media-types/application/json",
    "xlsx": (
        "https://www.iana.org/assignments/media-types/"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


def licence() -> dict:
    return {**DEFAULT_LICENCE, **getattr(settings, "OPEN_DATA_LICENCE", {})}


def publisher() -> dict:
    return {**DEFAULT_PUBLISHER, **getattr(settings, "OPEN_DATA_PUBLISHER", {})}


@cache
def context_document() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def catalog(request) -> dict:
    """The catalogue as compact JSON-LD, every address absolute."""
    url = request.build_absolute_uri
    _version, changed_at = current_stamp()
    modified = changed_at.isoformat(timespec="seconds")
    owner = publisher()
    terms = licence()
    publisher_id = owner["url"]
    datasets = []
    for dataset in DATASETS.values():
        page = url(reverse("datasets:detail", args=[dataset.slug]))
        distributions = [
            {
                "@id": f"{page}#{fmt}",
                "@type": "Distribution",
                "title": {"ko": f"{dataset.title_ko} ({fmt.upper()})"},
                "accessURL": page,
                "downloadURL": url(
                    reverse("datasets:download", args=[dataset.slug, fmt])
                ),
                "mediaType": media,
                "license": terms["url"],
            }
            for fmt, media in FORMATS.items()
        ]
        distributions.append(
            {
                "@id": f"{page}#api",
                "@type": "Distribution",
                "title": {"ko": f"{dataset.title_ko} (Open API)", "en": "Open API"},
                "accessURL": url(reverse("open_data:dataset", args=[dataset.slug])),
                "mediaType": FORMATS["json"],
                "license": terms["url"],
            }
        )
        datasets.append(
            {
                "@id": page,
                "@type": "Dataset",
                "identifier": dataset.slug,
                "title": {"ko": dataset.title_ko, "en": dataset.title_en},
                "description": {"en": str(dataset.description)},
                "keyword": {"ko": ["일자리", "상생협력"], "en": ["jobs", "open data"]},
                "publisher": publisher_id,
                "license": terms["url"],
                "modified": modified,
                "landingPage": page,
                "accrualPeriodicity": FREQUENCY + dataset.accrual,
                "distribution": distributions,
            }
        )
    return {
        "@context": url(reverse("open_data:catalog_context")),
        "@graph": [
            {
                "@id": url(reverse("open_data:catalog")),
                "@type": "Catalog",
                "title": {
                    "ko": f"{owner['name_ko']} 상생협력 일자리 공공데이터",
                    "en": f"{owner['name_en']} job projects open data",
                },
                "description": {
                    "ko": "공모, 선정 사업, 월별 실적, 연간 평가 등급",
                    "en": "Calls, selected projects, monthly figures, annual grades",
                },
                "publisher": publisher_id,
                "license": terms["url"],
                "language": "http://id.loc.gov/vocabulary/iso639-1/ko",
                "homepage": url(reverse("datasets:list")),
                "modified": modified,
                "dataset": [d["@id"] for d in datasets],
            },
            {
                "@id": publisher_id,
                "@type": "Organization",
                "name": {"ko": owner["name_ko"], "en": owner["name_en"]},
                "homepage": owner["url"],
            },
            {
                "@id": terms["url"],
                "@type": "LicenseDocument",
                "title": {"ko": terms["name_ko"], "en": terms["name_en"]},
            },
            *datasets,
        ],
    }
