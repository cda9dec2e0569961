"""The optimal selection beside the greedy suggestion, with the reason for
every proposal in words (the arithmetic is in ``competitions.optimal``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import optimal
from ..models import CallPage, Decision
from .ranking import RankedProposal, SuggestionRow, call_ranking, selection_suggest


@dataclass
class OptimalRow:
    line: RankedProposal
    greedy: SuggestionRow
    chosen: bool
    reason_code: str
    reason: str  # in the reader's language

    @property
    def differs(self) -> bool:
        return self.chosen != self.greedy.suggested


@dataclass
class SetSummary:
    count: int
    city_share: int
    score: Decimal


@dataclass
class OptimalComparison:
    objective: str
    objective_label: str
    rows: list[OptimalRow]
    optimal: SetSummary
    greedy: SetSummary
    budget: int
    problem: str = ""  # in words; empty when a set was found
    short_minimums: list[str] = field(default_factory=list)

    @property
    def differing(self) -> int:
        return sum(1 for row in self.rows if row.differs)


def _won(amount: int) -> str:
    return f"{amount:,}"


def _points(value: Decimal) -> str:
    return f"{value:,.2f}"


def _named(option: optimal.Option, lines: dict[object, RankedProposal]) -> str:
    line = lines[option.key]
    return _("%(receipt)s %(title)s (%(score)s points)") % {
        "receipt": line.proposal.receipt_number,
        "title": line.proposal.title,
        "score": _points(optimal.shown_score(option)),
    }


def _trade_off_text(
    item: optimal.OptimalLine,
    *,
    objective: str,
    best: SetSummary,
    lines: dict[object, RankedProposal],
) -> str:
    alternative = item.alternative
    assert alternative is not None
    own = optimal.shown_score(item.option)
    if objective == optimal.Objective.COUNT:
        comparison = _(
            "the best set with it has %(count)s projects (%(with)s points) against "
            "%(best_count)s projects (%(best)s points) without it."
        ) % {
            "count": alternative.count,
            "with": _points(alternative.score),
            "best_count": best.count,
            "best": _points(best.score),
        }
    else:
        comparison = _(
            "the best set with it totals %(with)s points against %(best)s without it."
        ) % {"with": _points(alternative.score), "best": _points(best.score)}
    if not alternative.dropped:
        return _("Selecting it (%(score)s points): %(comparison)s") % {
            "score": _points(own),
            "comparison": comparison,
        }
    dropped_score = sum(
        (optimal.shown_score(option) for option in alternative.dropped), Decimal(0)
    )
    text = _(
        "Selecting it (%(score)s points) would mean dropping %(dropped)s, whose "
        "scores sum to %(dropped_score)s"
    ) % {
        "score": _points(own),
        "dropped": ", ".join(_named(o, lines) for o in alternative.dropped),
        "dropped_score": _points(dropped_score),
    }
    if alternative.added:
        text += _(", and taking %(added)s instead") % {
            "added": ", ".join(_named(o, lines) for o in alternative.added)
        }
    return _("%(trade)s: %(comparison)s") % {"trade": text, "comparison": comparison}


def _reason_text(
    item: optimal.OptimalLine,
    *,
    call: CallPage,
    line: RankedProposal,
    spent_on_record: int,
    best: SetSummary,
    lines: dict[object, RankedProposal],
) -> str:
    code = item.reason
    Out = optimal.OutReason
    if item.chosen:
        if line.decision is not None and line.decision.decision == Decision.SELECTED:
            return _("Recorded as selected.")
        return _("In the best set within the budget and the district rules.")
    if code == Out.DECIDED_NOT_SELECTED:
        return _("Recorded as not selected.")
    if code == Out.NOT_REVIEWED:
        if line.score is None or not line.fully_reviewed:
            return _(
                "Not fully reviewed: %(done)s of %(assigned)s assigned reviews count."
            ) % {"done": line.reviews_done, "assigned": line.reviews_assigned}
        return _("Not fully reviewed.")
    if code == Out.OVER_BUDGET_ALONE:
        if call.continuation_budget:
            pot, left = _pot_left(item.option, call=call, lines=lines)
            return _(
                "Its request (KRW %(cost)s) is more than the KRW %(left)s the "
                "recorded selections leave in %(pot)s."
            ) % {"cost": _won(item.option.cost), "left": _won(left), "pot": pot}
        return _(
            "Its request (KRW %(cost)s) is more than the KRW %(left)s the recorded "
            "selections leave."
        ) % {
            "cost": _won(item.option.cost),
            "left": _won(call.total_budget - spent_on_record),
        }
    if code == Out.DISTRICT_FULL:
        return _(
            "The district limit (%(limit)s) is reached by the selections on record."
        ) % {"limit": call.max_selected_per_district}
    if code == Out.MINIMUMS:
        return _(
            "With it, another district's minimum (%(minimum)s) could not be met "
            "within the budget."
        ) % {"minimum": call.min_selected_per_district}
    if code == Out.TIE:
        assert item.alternative is not None
        return _(
            "An equally good set includes it (%(with)s points); the set shown "
            "prefers the higher-ranked proposals."
        ) % {"with": _points(item.alternative.score)}
    if code == Out.TRADE_OFF:
        return _trade_off_text(
            item, objective=call.selection_objective, best=best, lines=lines
        )
    return ""


def _pot_left(
    option: optimal.Option, *, call: CallPage, lines: dict[object, RankedProposal]
) -> tuple[str, int]:
    """The name of the pot a proposal is funded from and what the recorded
    selections leave in it (a call with a continuation reserve)."""
    spent = sum(
        line.proposal.city_share or 0
        for line in lines.values()
        if line.decision is not None
        and line.decision.decision == Decision.SELECTED
        and (line.proposal.continues_project_id is not None) == option.reserved
    )
    if option.reserved:
        return _("the reserve for continuation projects"), (
            call.continuation_budget - spent
        )
    return _("the budget for other proposals"), call.general_budget - spent


def _problem_text(problem: str, *, call: CallPage, spent_on_record: int) -> str:
    if problem == "record_over_budget" and call.continuation_budget:
        return _(
            "The selections on record exceed the reserve for continuation projects "
            "(KRW %(reserve)s) or the budget for other proposals (KRW %(rest)s): "
            "change a decision before asking for the best set."
        ) % {
            "reserve": _won(call.continuation_budget),
            "rest": _won(call.general_budget),
        }
    if problem == "record_over_budget":
        return _(
            "The selections on record already use KRW %(spent)s of the KRW "
            "%(budget)s budget: change a decision before asking for the best set."
        ) % {"spent": _won(spent_on_record), "budget": _won(call.total_budget)}
    if problem == "record_over_district_limit":
        return _(
            "The selections on record exceed the district limit (%(limit)s): change a "
            "decision before asking for the best set."
        ) % {"limit": call.max_selected_per_district}
    if problem == "minimums":
        return _(
            "No set meets every district's minimum (%(minimum)s) within the budget: "
            "lower the minimum in the call's settings, or record decisions by hand."
        ) % {"minimum": call.min_selected_per_district}
    return ""


def selection_optimal(*, call: CallPage) -> OptimalComparison:
    """The set that maximises the call's objective within the budget and the
    district rules, from the decisions on record, beside the greedy
    suggestion; each proposal with the reason it is in or out. Reads only."""
    ranking = call_ranking(call=call)
    options = [
        optimal.Option(
            key=line.proposal.pk,
            district=line.proposal.district_id,
            cost=line.counted_amount,
            score=line.score,
            fully_reviewed=line.fully_reviewed,
            decided=(
                None
                if line.decision is None
                else line.decision.decision == Decision.SELECTED
            ),
            reserved=line.proposal.continues_project_id is not None,
        )
        for line in ranking
    ]
    result = optimal.optimal_selection(
        options,
        budget=call.total_budget,
        objective=call.selection_objective,
        per_district_limit=call.max_selected_per_district,
        per_district_minimum=call.min_selected_per_district,
        reserve=call.continuation_budget or 0,
    )
    greedy_rows = selection_suggest(call=call)
    lines: dict[object, RankedProposal] = {line.proposal.pk: line for line in ranking}
    spent_on_record = sum(o.cost for o in options if o.decided is True)
    best = SetSummary(
        count=len(result.chosen),
        city_share=result.total_cost,
        score=result.total_score,
    )
    greedy_chosen = [
        option
        for option, row in zip(options, greedy_rows, strict=True)
        if row.suggested
    ]
    greedy = SetSummary(
        count=len(greedy_chosen),
        city_share=sum(o.cost for o in greedy_chosen),
        score=sum((optimal.shown_score(o) for o in greedy_chosen), Decimal(0)),
    )
    rows = []
    for line, item, greedy_row in zip(ranking, result.lines, greedy_rows, strict=True):
        rows.append(
            OptimalRow(
                line=line,
                greedy=greedy_row,
                chosen=item.chosen,
                reason_code=item.reason,
                reason=_reason_text(
                    item,
                    call=call,
                    line=line,
                    spent_on_record=spent_on_record,
                    best=best,
                    lines=lines,
                ),
            )
        )
    districts: dict[object, object] = {
        line.proposal.district_id: line.proposal.district for line in ranking
    }
    short = [
        _(
            "%(district)s: at least %(minimum)s, but only %(reachable)s can be "
            "selected (too few fully reviewed proposals)."
        )
        % {"district": districts[key], "minimum": minimum, "reachable": reachable}
        for key, (minimum, reachable) in result.short_minimums.items()
    ]
    return OptimalComparison(
        objective=call.selection_objective,
        objective_label=call.get_selection_objective_display(),
        rows=rows,
        optimal=best,
        greedy=greedy,
        budget=call.total_budget,
        problem=_problem_text(
            result.problem, call=call, spent_on_record=spent_on_record
        ),
        short_minimums=short,
    )
