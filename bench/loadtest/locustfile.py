"""The deadline rush, as Locust users: 200 district officers and 3 city managers.

Officers work in the admin as a person does, through the same pages: open their
draft proposal, change it and save it (most of the traffic); those whose district
still has a place under the call's limit came to send it, and press "submit" as
their first action after reading the form over; the officers who own a month
came to file it, and upload its workbook first — download the month's template,
fill it with openpyxl, upload, read the preview, confirm — then work on their
draft. So a rush measures a dozen submits and uploads or so, not one or two.
City managers sign in with a code and watch the dashboard, the proposals coming
in and the overdue list.

Every write goes into a ledger when it is sent, marked acknowledged when the
server says so (a receipt number, "saved", the report page after a confirmed
upload); the runner checks the ledger against the database afterwards. The plan (who is who, sessions, URLs) comes from the file
named by SANGSAENG_LOADTEST_PLAN; the ledger goes to SANGSAENG_LOADTEST_LEDGER.
Nothing here imports Django: the users only speak HTTP.
"""

import io
import itertools
import json
import os
import random
import re
import time
from urllib.parse import urljoin, urlsplit

import gevent

# Beside this file; Locust puts its folder on the path.
from html_forms import form_with, replaced
from locust import HttpUser, between, events, task
from openpyxl import load_workbook

with open(os.environ["SANGSAENG_LOADTEST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
MAX_REQUESTS = int(os.environ.get("SANGSAENG_LOADTEST_MAX_REQUESTS", "20000"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECEIPT = re.compile(r"\b\d{4}-[A-Z]{2}-\d{3}\b")

LEDGER: list[dict] = []
_officers = iter(PLAN["officers"])
_managers = iter(PLAN["city_managers"])
_markers = itertools.count(1)
_state = {"requests": 0, "environment": None, "stopping": False}


def url(name: str, pk=None, month=None) -> str:
    """The plan holds each URL with 0 (and 2019-10) in place of the ids."""
    path = PLAN["urls"][name]
    if pk is not None:
        path = path.replace("/0/", f"/{pk}/", 1)
    if month is not None:
        path = path.replace("2019-10", month, 1)
    return path


def sent(kind: str, **what) -> dict:
    """A write on its way, in the ledger; marked acknowledged when the server
    says so. A write cut off by the end of the run (sent, never answered) may
    still have been saved, and may replace an acknowledged one legitimately."""
    entry = {"kind": kind, "acknowledged": False, **what}
    LEDGER.append(entry)
    return entry


def path_of(response) -> str:
    return urlsplit(response.url).path


# --- the users ------------------------------------------------------------------


def tagged(request):
    """The session's ``request`` sending the step's name in ``X-Load-Step``, so
    the server can record what each step cost it (common/cpu_middleware.py). A
    redirect followed after a POST carries the same header: it is the same step."""

    def send(method, url, name=None, *args, **kwargs):
        headers = {**(kwargs.pop("headers", None) or {}), "X-Load-Step": name or url}
        return request(method, url, name, *args, headers=headers, **kwargs)

    return send


class Person(HttpUser):
    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client.request = tagged(self.client.request)

    def sign_in(self, username: str, device: dict | None = None) -> bool:
        login = url("login")
        page = self.client.get(login, name="sign in: form")
        form = form_with(page.text, "password")
        if form is None:
            return False
        fields = replaced(form["fields"], username=username, password=PLAN["password"])
        with self.client.post(
            login, data=fields, name="sign in: password", catch_response=True
        ) as response:
            if "/2fa/verify/" in response.url and device is not None:
                response.success()
                return self.second_step(response, device)
            if "/login/" in path_of(response) or response.status_code != 200:
                response.failure(
                    f"not signed in ({response.status_code} {path_of(response)})"
                )
                return False
            response.success()
            return True

    def second_step(self, page, device: dict) -> bool:
        form = form_with(page.text, "otp_token")
        if form is None:
            return False
        # The plan holds the device's codes of the coming time steps.
        code = device["codes"].get(
            str((int(time.time()) - device["t0"]) // device["step"]), ""
        )
        fields = replaced(form["fields"], otp_token=code)
        target = urljoin(page.url, form["action"])
        with self.client.post(
            target, data=fields, name="sign in: code", catch_response=True
        ) as response:
            if "/2fa/" in path_of(response) or response.status_code != 200:
                response.failure(
                    f"code refused ({response.status_code} {path_of(response)})"
                )
                return False
            response.success()
            return True


class DistrictOfficer(Person):
    """Opens the draft proposal, then works on it and saves it every 30–90 s (a
    person reading and typing before each save, the first one included); if
    chosen to submit, submits first, and if it owns a month, uploads it first
    and now and then again."""

    fixed_count = len(PLAN["officers"])
    wait_time = between(30, 90)

    def on_start(self):
        self.me = next(_officers)
        self.submitted = False
        self.uploaded = False
        self.open_form = None
        if self.me["session"]:
            host = urlsplit(PLAN["base_url"]).hostname
            self.client.cookies.set(
                PLAN["session_cookie"], self.me["session"], domain=host, path="/"
            )
        # People do not all press a button in the same second.
        gevent.sleep(random.uniform(0, 30))
        if not self.me["session"]:
            self.sign_in(self.me["username"])
        # Then they open their draft and read and type before they first save:
        # no one saves a form the second it appears.
        self._proposal_form()
        gevent.sleep(self.wait_time())

    def _proposal_form(self):
        """The proposal form as the person has it on screen: the page the last
        save came back with, or (the first time) the page opened afresh. A
        browser does not load the form again before each save."""
        edit = url("proposal_edit", self.me["proposal_id"])
        if self.open_form is None:
            page = self.client.get(edit, name="proposal: open draft")
            self.open_form = form_with(page.text, "summary")
        return edit, self.open_form

    @task(6)
    def save_draft(self):
        if self.me["submits"] and not self.submitted:
            return self.submit()
        if self.me["uploads"] and not self.uploaded:
            return self.upload_workbook()
        if self.submitted:
            self.client.get(
                url("proposal_inspect", self.me["proposal_id"]),
                name="proposal: view sent",
            )
            return
        edit, form = self._proposal_form()
        if form is None:
            return
        summary = f"마감 직전 수정 {next(_markers)} / last-minute edit by {self.me['username']}"
        fields = replaced(form["fields"], summary=summary)
        entry = sent("draft", proposal_id=self.me["proposal_id"], summary=summary)
        with self.client.post(
            edit, data=fields, name="proposal: save draft", catch_response=True
        ) as response:
            if (
                response.status_code == 200
                and path_of(response) == edit
                and response.history
            ):
                response.success()
                entry["acknowledged"] = True
                self.open_form = form_with(response.text, "summary")
            else:
                self.open_form = None  # opened afresh next time, as a person would
                response.failure(
                    f"draft not saved ({response.status_code} {path_of(response)})"
                )

    @task(1)
    def submit(self):
        if not self.me["submits"] or self.submitted:
            return self.save_draft()
        edit, form = self._proposal_form()
        if form is None:
            return
        summary = f"최종 제출 {next(_markers)} / final version by {self.me['username']}"
        fields = replaced(form["fields"], summary=summary) + [
            ["action-submit", "submit"]
        ]
        inspect = url("proposal_inspect", self.me["proposal_id"])
        entry = sent("draft", proposal_id=self.me["proposal_id"], summary=summary)
        self.open_form = (
            None  # the form is left for the receipt, or opened afresh after a refusal
        )
        with self.client.post(
            edit, data=fields, name="proposal: submit", catch_response=True
        ) as response:
            receipt = RECEIPT.search(response.text)
            if response.status_code == 200 and path_of(response) == inspect and receipt:
                response.success()
                self.submitted = True
                entry["acknowledged"] = True
                sent(
                    "submission",
                    proposal_id=self.me["proposal_id"],
                    receipt=receipt.group(0),
                )["acknowledged"] = True
            else:
                response.failure(
                    f"not submitted ({response.status_code} {path_of(response)})"
                )

    @task(2)
    def upload_workbook(self):
        if not self.me["uploads"]:
            return self.browse()
        self.uploaded = True
        slot = random.choice(self.me["uploads"])
        project, month = slot["project_id"], slot["month"]
        template = self.client.get(
            url("template", project, month), name="report: template"
        )
        if template.status_code != 200:
            return
        workbook = load_workbook(io.BytesIO(template.content))
        narrative = f"{month} 실적 {next(_markers)} / uploaded by {self.me['username']}"
        layout = workbook["_sangsaeng"]
        for row in layout.iter_rows(min_row=6, values_only=True):
            if row[0] == "narrative":
                workbook["실적"][row[3]] = narrative
        filled = io.BytesIO()
        workbook.save(filled)

        upload = url("upload", project, month)
        page = self.client.get(upload, name="report: upload form")
        form = form_with(page.text, "csrfmiddlewaretoken")
        if form is None:
            return
        with self.client.post(
            upload,
            data=form["fields"],
            files={"file": ("report.xlsx", filled.getvalue(), XLSX)},
            name="report: upload and preview",
            catch_response=True,
        ) as preview:
            confirm = form_with(preview.text, "token")
            token = dict(confirm["fields"]).get("token") if confirm else ""
            if preview.status_code != 200 or not token:
                preview.failure(f"no preview to confirm ({preview.status_code})")
                return
            preview.success()
        report = url("report", slot["report_id"])
        entry = sent("upload", report_id=slot["report_id"], narrative=narrative)
        with self.client.post(
            urljoin(preview.url, confirm["action"]),
            data=confirm["fields"],
            name="report: confirm upload",
            catch_response=True,
        ) as response:
            if (
                response.status_code == 200
                and path_of(response) == report
                and response.history
            ):
                response.success()
                entry["acknowledged"] = True
            else:
                response.failure(
                    f"upload not saved ({response.status_code} {path_of(response)})"
                )

    @task(1)
    def browse(self):
        self.client.get(
            f"{url('proposals')}?call={PLAN['call_id']}", name="proposal: list"
        )


class CityManager(Person):
    """Signs in with a code, then watches the dashboard and what comes in."""

    fixed_count = len(PLAN["city_managers"])
    wait_time = between(5, 15)

    def on_start(self):
        self.me = next(_managers)
        gevent.sleep(random.uniform(0, 5))
        self.sign_in(self.me["username"], device=self.me)

    @task(3)
    def dashboard(self):
        self.client.get(f"{url('dashboard')}?year=2019&month=9", name="city: dashboard")

    @task(1)
    def proposals_coming_in(self):
        self.client.get(
            f"{url('proposals')}?call={PLAN['call_id']}", name="city: proposals"
        )

    @task(1)
    def overdue(self):
        self.client.get(url("overdue"), name="city: overdue reports")


# --- bounds and the ledger --------------------------------------------------------


@events.init.add_listener
def _remember(environment, **kwargs):
    _state["environment"] = environment


@events.request.add_listener
def _count(**kwargs):
    _state["requests"] += 1
    if _state["requests"] >= MAX_REQUESTS and not _state["stopping"]:
        _state["stopping"] = True
        gevent.spawn(_state["environment"].runner.quit)


def _write_ledger(**kwargs):
    with open(os.environ["SANGSAENG_LOADTEST_LEDGER"], "w", encoding="utf-8") as ledger:
        json.dump(LEDGER, ledger, ensure_ascii=False)


events.test_stop.add_listener(_write_ledger)
events.quitting.add_listener(_write_ledger)
