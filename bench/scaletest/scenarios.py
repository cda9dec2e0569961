"""What a person does across two nodes behind a load balancer that sends each
request wherever it likes. Each scenario returns nothing or raises ``Failed``
with what went wrong; the driver prints one ``name: value`` line for each.

The people speak HTTP only (``requests`` sessions, the admin's own forms); the
driver reads the shared database (Django's ORM) to set up the demo's draft and
to check afterwards what was saved.
"""

import http.client
import io
import time
from datetime import date
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from openpyxl import load_workbook

from bench.loadtest.html_forms import form_with, replaced

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTH = date(2019, 10, 1)


class Failed(Exception):
    """A scenario's expectation that did not hold."""


def expect(condition, message: str) -> None:
    if not condition:
        raise Failed(message)


def path_of(response) -> str:
    return urlsplit(response.url).path


class Person:
    """A signed-in person with one browser: one cookie jar, whatever node a
    request lands on (both nodes are 127.0.0.1, so the cookies go to both)."""

    def __init__(self, username: str):
        self.username = username
        self.session = requests.Session()

    def get(self, node, path: str, **kwargs):
        return self.session.get(f"{node.url}{path}", timeout=120, **kwargs)

    def post(self, node, path: str, data=None, **kwargs):
        """A POST with the CSRF token a page's form would carry."""
        fields = list(data.items()) if isinstance(data, dict) else list(data or [])
        if not any(name == "csrfmiddlewaretoken" for name, _ in fields):
            fields.append(("csrfmiddlewaretoken", self.csrf_token()))
        return self.session.post(
            f"{node.url}{path}", data=fields, timeout=120, **kwargs
        )

    def csrf_token(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)

    def sign_in(self, node, password: str, code=None) -> None:
        login = "/admin/login/"
        form = form_with(self.get(node, login).text, "password")
        expect(form, f"{self.username}: no sign-in form on {node.name}")
        fields = replaced(form["fields"], username=self.username, password=password)
        response = self.post(node, login, fields)
        if "/2fa/" in path_of(response):
            expect(code, f"{self.username}: a code was asked for")
            step = form_with(response.text, "otp_token")
            expect(step, f"{self.username}: no code form")
            response = self.session.post(
                urljoin(response.url, step["action"]),
                data=replaced(step["fields"], otp_token=code()),
                timeout=120,
            )
        expect(
            response.status_code == 200 and "/login/" not in path_of(response),
            f"{self.username} not signed in on {node.name} ({response.status_code})",
        )


# --- (a) a preview made on A, confirmed on B ----------------------------------


def filled_workbook(content: bytes, *, narrative: str, new_hires: int) -> bytes:
    """The month's template as the district fills it: the narrative, and
    ``new_hires`` people hired in the first target group (also employed)."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["실적"]
    first_group = None
    for row in workbook["_sangsaeng"].iter_rows(min_row=6, values_only=True):
        kind, measure, key, cell = row[0], row[1], row[2], row[3]
        if kind == "narrative":
            sheet[cell] = narrative
        elif kind == "figure" and measure == "new_hires" and first_group is None:
            first_group = key
            sheet[cell] = (sheet[cell].value or 0) + new_hires
        elif kind == "figure" and measure == "employed" and key == first_group:
            sheet[cell] = (sheet[cell].value or 0) + new_hires
    filled = io.BytesIO()
    workbook.save(filled)
    return filled.getvalue()


def preview_on_a_confirm_on_b(officer: Person, a, b, *, slot: dict, narrative: str):
    base = f"/admin/reports/sheet/{slot['project_id']}/{MONTH:%Y-%m}"
    template = officer.get(a, f"{base}/template/")
    expect(template.status_code == 200, f"template: {template.status_code}")
    workbook = filled_workbook(template.content, narrative=narrative, new_hires=1)
    form = form_with(officer.get(a, f"{base}/upload/").text, "csrfmiddlewaretoken")
    expect(form, "no upload form on A")
    preview = officer.post(
        a,
        f"{base}/upload/",
        form["fields"],
        files={"file": ("report.xlsx", workbook, XLSX)},
    )
    confirm = form_with(preview.text, "token")
    expect(
        preview.status_code == 200 and confirm,
        f"no preview to confirm on A ({preview.status_code})",
    )
    # The load balancer sends the confirmation to the other node.
    response = officer.session.post(
        urljoin(b.url + path_of(preview), confirm["action"]),
        data=confirm["fields"],
        timeout=120,
    )
    report_path = f"/admin/reports/{slot['report_id']}/"
    expect(
        response.status_code == 200 and path_of(response) == report_path,
        f"confirm on B: {response.status_code} {path_of(response)}",
    )


# --- (c) a cached roll-up, changed by an acceptance on one node ------------------


def jobs_created(person: Person, node) -> int:
    """The city's jobs to date for October 2019, from the open-data API."""
    response = person.get(node, f"/api/v1/outcomes/?year=2019&month={MONTH.month}")
    expect(response.status_code == 200, f"API on {node.name}: {response.status_code}")
    return response.json()["totals"]["jobs_created"]


def accepted_on_a_seen_on_both(officer: Person, manager: Person, a, b, *, slot):
    before = {node.name: jobs_created(manager, node) for node in (a, b, a, b)}
    expect(before["A"] == before["B"], f"A and B disagree before: {before}")
    report = f"/admin/reports/{slot['report_id']}"
    submitted = officer.post(b, f"{report}/submit/")
    expect(submitted.status_code == 200, f"submit on B: {submitted.status_code}")
    accepted = manager.post(a, f"{report}/accept/", {"note": ""})
    expect(accepted.status_code == 200, f"accept on A: {accepted.status_code}")
    after = {node.name: jobs_created(manager, node) for node in (a, b)}
    expect(
        after == {"A": before["A"] + 1, "B": before["B"] + 1},
        f"jobs to date before {before['A']}, after {after} (one more expected)",
    )


# --- (b) a job started on B, built by the worker, downloaded from A -------------


def job_started_on_b_downloaded_from_a(manager: Person, a, b, *, kind: str) -> int:
    started = manager.post(
        b,
        "/admin/outcomes/reports/",
        {"year": "2019", "month": str(MONTH.month), "kind": kind, "district": ""},
    )
    expect(started.status_code == 200, f"{kind} request on B: {started.status_code}")
    job_id = path_of(started).rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = manager.get(b, f"/admin/jobs/{job_id}/").json()
        if status["finished"]:
            break
        time.sleep(0.5)
    expect(status["status"] == "succeeded", f"{kind} job: {status}")
    from common.models import BackgroundJob

    report_file = BackgroundJob.objects.get(pk=job_id).result["report_file"]
    download = manager.get(a, f"/admin/outcomes/reports/{report_file}/download/")
    magic = b"PK" if kind == "xlsx" else b"%PDF"
    expect(
        download.status_code == 200 and download.content.startswith(magic),
        f"{kind} download from A: {download.status_code}",
    )
    return len(download.content)


# --- (d) node A killed mid-request -------------------------------------------------


def _send_raw(node, path: str, body: bytes, cookie: str, *, part: int):
    """A POST of which only ``part`` bytes of the body are sent (yet)."""
    connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(len(body)))
    connection.putheader("Cookie", cookie)
    connection.endheaders()
    connection.send(body[:part])
    return connection


def killed_mid_request(officer: Person, a, b, *, proposal_id: int, rows) -> dict:
    """A draft save cut off twice: once half-way through its upload, once while
    the server works on it. Each time the draft is wholly as before or wholly
    as sent (``rows()`` counts its rows), and node B serves it.
    Returns how the second cut ended ("saved" or "not saved")."""
    from competitions.models import Proposal

    edit = f"/admin/proposals/edit/{proposal_id}/"
    page = officer.get(a, edit)
    form = form_with(page.text, "summary")
    expect(form, f"no draft form on A ({page.status_code})")
    before = Proposal.objects.get(pk=proposal_id).summary
    rows_before = rows()

    slow_summary = "느린 업로드 중 중단 / cut off while uploading"
    body = urlencode([tuple(f) for f in replaced(form["fields"], summary=slow_summary)])
    body = body.encode()
    slow = _send_raw(a, edit, body, officer.cookie_header(), part=len(body) // 2)
    time.sleep(0.5)
    # A second request, wholly sent, in the works when the node dies.
    busy_summary = "저장 중 중단 / cut off while saving"
    body = urlencode([tuple(f) for f in replaced(form["fields"], summary=busy_summary)])
    body = body.encode()
    busy = _send_raw(a, edit, body, officer.cookie_header(), part=len(body))
    time.sleep(0.15)
    a.kill()
    slow.close()
    busy.close()

    saved = Proposal.objects.get(pk=proposal_id).summary
    expect(saved != slow_summary, "a half-uploaded save was saved")
    expect(saved in {before, busy_summary}, f"the draft holds {saved!r}")
    expect(rows() == rows_before, f"rows before {rows_before}, after {rows()}")

    # Node B serves everything, and takes the person's next save.
    page = officer.get(b, edit)
    expect(page.status_code == 200 and saved in page.text, "B does not serve the draft")
    again = form_with(page.text, "summary")
    retried = "B에서 다시 저장 / saved again on B"
    response = officer.post(b, edit, replaced(again["fields"], summary=retried))
    expect(response.status_code == 200, f"save on B: {response.status_code}")
    expect(
        Proposal.objects.get(pk=proposal_id).summary == retried,
        "the save on B was not kept",
    )
    expect(rows() == rows_before, "the save on B changed the draft's rows")
    for path in ("/admin/", f"/admin/proposals/inspect/{proposal_id}/"):
        response = officer.get(b, path)
        expect(response.status_code == 200, f"B: {path} {response.status_code}")
    return {"second_cut": "saved" if saved == busy_summary else "not saved"}
