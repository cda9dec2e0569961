from datetime import date, datetime

import pytest

from funding import services
from projects.months import SEOUL
from tests.competitions.conftest import call, call_index  # noqa: F401
from tests.projects.fixtures import make_project, plan_data

SIGNED_AT = datetime(2018, 12, 20, 15, 0, tzinfo=SEOUL)
JAN_15, JUL_15 = date(2019, 1, 15), date(2019, 7, 15)
JUNE = date(2019, 6, 1)


def funded_project(district, call, *, title="찾아가는 육아코칭활동가 양성", **plan):
    """A project of ``call`` with a plan of the given shares (budget lines adding up)."""
    city = plan.pop("city_share", 67_500_000)
    district_share = plan.pop("district_share", 67_500_000)
    data = plan_data(
        city_share=city,
        district_share=district_share,
        budget_lines=[
            {
                "code": "personnel",
                "name_ko": "인건비",
                "name_en": "Personnel",
                "amount": city + district_share - (city + district_share) // 10,
            },
            {
                "code": "operations",
                "name_ko": "운영비",
                "name_en": "Operations",
                "amount": (city + district_share) // 10,
            },
        ],
        **plan,
    )
    return make_project(district, title=title, call=call, plan=data)


def two_tranches(project, actor, *, condition_month=JUNE):
    agreement = services.agreement_latest(project)
    first = agreement.city_share // 2
    return services.tranche_schedule_set(
        actor=actor,
        project=project,
        rows=[
            services.TrancheRow(planned_on=JAN_15, amount=first),
            services.TrancheRow(
                planned_on=JUL_15,
                amount=agreement.city_share - first,
                condition_month=condition_month,
            ),
        ],
    )


SIGNATORIES = {
    "city_signatory_name": "김상생",
    "city_signatory_title": "일자리경제과장",
    "district_signatory_name": "이부평",
    "district_signatory_title": "일자리정책과장",
}


def sign(agreement, actor, **overrides):
    values = {"signed_on": date(2018, 12, 20), **SIGNATORIES, **overrides}
    return services.agreement_sign(
        actor=actor, agreement=agreement, now=SIGNED_AT, **values
    )


def signed_project(project, city_manager, **schedule):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager, **schedule)
    return sign(agreement, city_manager)


@pytest.fixture
def project(orgs, call):  # noqa: F811
    return funded_project(orgs["BP"], call)


@pytest.fixture
def seogu_money_project(orgs, call):  # noqa: F811
    return funded_project(orgs["SG"], call, title="검단일반산업단지 무빙콜")


@pytest.fixture
def agreement(project, city_manager):
    return signed_project(project, city_manager)
