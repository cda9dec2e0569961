"""The money chart: the city's share agreed (협약), received (교부) and spent
(집행), side by side for each project or district — drawn as every chart of
the product is (``reporting.evaluation.charts``: a server-side SVG with its
title, a description in words and both axes named, and the same figures as a
table under "show the figures"), so the picture is never the only way to
read an amount."""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.formats import won
from reporting.evaluation.charts import (
    FONT,
    PALETTE,
    Chart,
    _axis_label,
    _svg,
    _text,
)

BAR_H, GAP, LABEL_W, RIGHT = 12, 14, 170, 150


def series_names() -> tuple[str, str, str]:
    return (
        _("City share agreed"),
        pgettext("money", "Received"),
        _("City share spent"),
    )


def money_bars(
    groups: Sequence[tuple[str, int, int, int]],
    *,
    title: str,
    label_axis: str,
    width: int = 720,
    font: str = FONT,
) -> Chart:
    """Three horizontal bars per group — (label, agreed, received, spent) in
    whole won — on one scale: the largest amount fills the plot."""
    names = series_names()
    group_h = 3 * BAR_H + GAP
    top = 24
    height = top + group_h * len(groups) + 44
    plot_w = width - LABEL_W - RIGHT
    maximum = max([1, *(max(g[1:]) for g in groups)])
    parts = [
        _axis_label(LABEL_W - 6, 14, label_axis, "y", anchor="end", font=font),
        _axis_label(
            LABEL_W + plot_w / 2,
            height - 22,
            _("Amount (KRW)"),
            "x",
            anchor="middle",
            font=font,
        ),
    ]
    for i, (label, *amounts) in enumerate(groups):
        y = top + i * group_h
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            _text(
                LABEL_W - 6,
                y + BAR_H * 1.5 + 4,
                short,
                anchor="end",
                size=10,
                font=font,
            )
        )
        for n, (colour, name, amount) in enumerate(
            zip(PALETTE, names, amounts, strict=False)
        ):
            w = plot_w * amount / maximum
            bar_y = y + n * BAR_H
            parts.append(
                f'<rect x="{LABEL_W}" y="{bar_y}" width="{w:.1f}" height="{BAR_H - 2}" '
                f'fill="{colour}"><title>{escape(label)}, {escape(name)}: '
                f"{escape(won(amount))}</title></rect>"
            )
            parts.append(
                _text(
                    LABEL_W + w + 4,
                    bar_y + BAR_H - 3,
                    won(amount),
                    size=9,
                    font=font,
                )
            )
    x = LABEL_W
    for colour, name in zip(PALETTE, names, strict=False):
        y = height - 14
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y + 9, name, size=10, font=font))
        x += 150
    desc = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {won(amount)}" for name, amount in zip(names, amounts, strict=True)
        )
        for label, *amounts in groups
    )
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (label_axis, *names),
        tuple((label, *(won(a) for a in amounts)) for label, *amounts in groups),
    )


def district_money_chart(districts) -> Chart | None:
    """The city dashboard's chart: one group per district (``DistrictTotal``)."""
    if not districts:
        return None
    return money_bars(
        [(d.district.name, d.agreed, d.paid, d.spending.city_spent) for d in districts],
        title=_("The city's share by district: agreed, received and spent"),
        label_axis=_("District"),
    )


def project_money_chart(project, *, agreed: int, paid: int, spending) -> Chart:
    """The project page's chart: its city share agreed, received and spent."""
    return money_bars(
        [(project.code, agreed, paid, spending.city_spent if spending else 0)],
        title=_("The city's share of %(project)s: agreed, received and spent")
        % {"project": project.code},
        label_axis=_("Project"),
    )
