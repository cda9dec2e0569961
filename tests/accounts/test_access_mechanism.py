"""The access mechanism knows no app: each app registers its own rules from its
rules.py, and accounts (the lowest app) imports nothing of the others, so no
import cycle can run through it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from accounts import access
from accounts.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
OTHER_APPS = ("cms", "common", "competitions", "funding", "projects", "reporting")


def _run_fresh(code: str) -> dict:
    """Run ``code`` in a new interpreter at the project root; it prints JSON."""
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_importing_the_access_mechanism_imports_no_other_app():
    # No django.setup(): the import alone, as any module that asks access does.
    loaded = _run_fresh(
        "import json, sys\n"
        "import accounts.access\n"
        f"print(json.dumps(sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {OTHER_APPS!r})))\n"
    )
    assert loaded == []


def test_with_accounts_alone_installed_only_its_own_rules_are_registered():
    # A project with accounts and no other app: the mechanism starts, registers
    # the rules of accounts, and holds none for a model it cannot know.
    result = _run_fresh(
        "import json, sys\n"
        "from django.conf import settings\n"
        "settings.configure(\n"
        "    INSTALLED_APPS=['accounts', 'django.contrib.auth',\n"
        "                    'django.contrib.contenttypes'],\n"
        "    AUTH_USER_MODEL='accounts.User',\n"
        "    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3',\n"
        "                           'NAME': ':memory:'}},\n"
        ")\n"
        "import django\n"
        "django.setup()\n"
        "from accounts import access\n"
        "print(json.dumps({\n"
        "    'rules': sorted(access._SCOPE_RULES),\n"
        "    'apps': sorted(m for m in sys.modules\n"
        f"                   if m.split('.')[0] in {OTHER_APPS!r}),\n"
        "}))\n"
    )
    assert result["apps"] == []
    assert result["rules"] == [
        "accounts.districtprofile",
        "accounts.organisation",
        "accounts.twofactorevent",
        "accounts.user",
    ]


def test_nothing_accounts_imports_even_inside_a_function_belongs_to_another_app():
    # What lint-imports checks in make lint, here too so the suite catches it:
    # an import inside a function is an import all the same.
    import grimp

    graph = grimp.build_graph("accounts", *OTHER_APPS, cache_dir=None)
    reached = graph.find_upstream_modules("accounts", as_package=True)
    assert sorted(m for m in reached if m.split(".")[0] in OTHER_APPS) == []


def test_every_model_in_the_admin_has_a_scope_rule(db):
    # Without one a model is refused to everyone but superusers: a rules.py
    # forgotten in a new app shows here, not as an empty screen.
    reverse("wagtailadmin_home")  # loads the admin's URLs, which register viewsets
    models = {
        viewset.model
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet)
    }
    # The project's own apps, a new one included: those whose code is here.
    ours = {
        m
        for m in models
        if Path(m._meta.app_config.path).is_relative_to(ROOT)
        and "site-packages" not in m._meta.app_config.path
    }
    labels = {m._meta.label for m in ours}
    assert {
        "accounts.Organisation",
        "competitions.Proposal",
        "projects.Project",
    } <= labels
    assert sorted(m._meta.label for m in ours if not access.has_scope_rule(m)) == []


def test_every_verb_asked_in_the_code_has_a_rule():
    # can() raises for a verb no app registered; a typo must show here first.
    asked = set()
    for app in ("accounts", *OTHER_APPS):
        for path in (ROOT / app).rglob("*.py"):
            asked |= set(
                re.findall(r'access\.can\(\s*[\w.]+,\s*"(\w+)"', path.read_text())
            )
    assert asked
    assert sorted(asked - set(access._PERMISSIONS)) == []


def test_asking_for_a_verb_no_app_registered_is_an_error_not_a_quiet_no(
    city_manager,
):
    with pytest.raises(LookupError, match="manage_everything"):
        access.can(city_manager, "manage_everything")


def test_a_second_scope_rule_for_the_same_model_is_refused():
    with pytest.raises(ImproperlyConfigured, match="accounts.organisation"):

        @access.scope_rule("accounts.organisation")
        def _everyone_sees_every_organisation(user, queryset):
            return queryset


def test_signed_out_or_inactive_people_may_do_nothing(bupyeong_officer, orgs):
    from django.contrib.auth.models import AnonymousUser

    assert access.can(bupyeong_officer, "view_rollup")
    assert not access.can(AnonymousUser(), "view_rollup")
    bupyeong_officer.is_active = False
    assert not access.can(bupyeong_officer, "view_rollup")


def test_officer_of_a_district_is_only_of_their_own(
    bupyeong_officer, bupyeong_approver, seogu_officer, city_manager, orgs
):
    assert access.is_officer_of(bupyeong_officer, orgs["BP"])
    assert not access.is_officer_of(bupyeong_officer, orgs["SG"])
    assert not access.is_officer_of(bupyeong_approver, orgs["BP"])
    assert not access.is_officer_of(city_manager, orgs["BP"])
    assert not access.is_officer_of(bupyeong_officer, None)
    assert access.is_approver_of(bupyeong_approver, orgs["BP"])
    assert not access.is_approver_of(bupyeong_officer, orgs["BP"])
    assert not access.is_approver_of(bupyeong_approver, orgs["SG"])
    assert access.acts_for(bupyeong_approver, orgs["BP"])
    assert not access.acts_for(seogu_officer, orgs["BP"])


def test_the_rules_of_each_app_are_registered_at_start_up():
    assert access.has_scope_rule(Organisation)
    for label in (
        "common.backgroundjob",
        "competitions.proposal",
        "projects.project",
        "reporting.monthlyreport",
        "evaluation.reportfile",
    ):
        assert label in access._SCOPE_RULES
    for verb in ("start_proposal", "propose_change", "upload_report_spreadsheet"):
        assert verb in access._PERMISSIONS
