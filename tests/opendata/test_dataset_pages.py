"""The dataset pages and their downloads (CSV with a BOM, JSON, XLSX),
in Korean and English."""

import io
import json

from django.conf import settings
from django.test import override_settings
from openpyxl import load_workbook

from projects.models import Project


def test_the_list_names_every_dataset_in_korean_by_default(seeded, client):
    page = client.get("/data/").content.decode()
    for title in ("공모 목록", "선정 사업 목록", "월별 사업 실적", "연간 평가 등급"):
        assert title in page
    assert "공공누리 제1유형" in page
    assert "/api/v1/catalog.jsonld" in page


def test_the_list_in_english(seeded, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/data/").content.decode()
    assert "Monthly figures per project" in page
    assert "Update cycle" in page
    assert "월별 사업 실적" not in page


def test_a_dataset_page_lists_its_fields_and_downloads(seeded, client):
    page = client.get("/data/projects/").content.decode()
    assert 'data-field="bizNm"' in page
    assert "사업명" in page and "Project title" in page
    for fmt in ("csv", "json", "xlsx"):
        assert f"/data/projects/download.{fmt}" in page
    assert "갱신 주기" in page


def test_an_unknown_dataset_is_404(seeded, client):
    assert client.get("/data/people/").status_code == 404
    assert client.get("/data/projects/download.pdf").status_code == 404


@override_settings(
    OPEN_DATA_LICENCE={
        "url": "https://www.kogl.or.kr/info/licenseType2.do",
        "name_ko": "공공누리 제2유형",
        "name_en": "KOGL Type 2",
    }
)
def test_the_licence_is_the_citys_choice(seeded, client):
    page = client.get("/data/grades/").content.decode()
    assert "공공누리 제2유형" in page and "licenseType2" in page


def test_the_csv_has_a_bom_and_no_formula_runs(seeded, client):
    Project.objects.filter(code="2019-BP-01").update(title='=HYPERLINK("x","y")')
    content = client.get("/data/projects/download.csv").content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("기준연도,사업코드,사업명")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text


def test_the_xlsx_is_readable_and_neutralised(seeded, client):
    Project.objects.filter(code="2019-BP-01").update(title="=1+1")
    response = client.get("/data/projects/download.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("기준연도", "사업코드", "사업명")
    titles = [row[2] for row in rows[1:]]
    assert "'=1+1" in titles
    assert len(rows) - 1 == Project.objects.count()


def test_the_json_download_names_its_fields(seeded, client):
    data = json.loads(client.get("/data/grades/download.json").content)
    assert data["fields"][:2] == ["crtrYr", "bizCd"]
    assert len(data["items"]) == 9
