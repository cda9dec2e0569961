"""Server-side SVG charts: no JavaScript, no CDN, the same markup in the admin,
on the public site and (through fpdf2's SVG support) in the PDF.

Every chart is built here, and every one is a ``Chart``: an ``<svg
role="img">`` labelled by its ``<title>`` and a ``<desc>`` that says in words
what the picture shows, with both axes labelled (what runs along them and in
which unit), and the same numbers as a table. On a page a chart renders as a
``<figure>``: its title as the caption, the picture, and the table under a
"show the figures" disclosure, so the chart is never the only way to read a
figure. The PDF draws ``chart.svg`` alone (its tables are its own).
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe–Ito), then greys.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
]
HEAT_COLOURS = {
    "on_time": "#009E73",
    "late": "#E69F00",
    "missing": "#D55E00",
    "not_yet_due": "#DDDDDD",
    "none": "#F4F4F4",
}
FONT = "sans-serif"
_ids = itertools.count(1)


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


@dataclass(frozen=True)
class Chart:
    """A chart: the SVG picture, its title, and its figures as a table
    (``headers`` and ``rows`` of text). Rendered in a template it is a
    ``<figure>`` with the title as caption and the table beside the picture."""

    svg: SafeString
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def table_html(self) -> SafeString:
        head = format_html_join(
            "", '<th scope="col">{}</th>', ((header,) for header in self.headers)
        )
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html(
                        '<th scope="row">{}</th>{}',
                        row[0],
                        format_html_join("", "<td>{}</td>", ((c,) for c in row[1:])),
                    ),
                )
                for row in self.rows
            ),
        )
        return format_html(
            '<table class="listing chart-data"><caption>{}</caption>'
            "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            self.title,
            head,
            body,
        )

    def __html__(self) -> SafeString:
        return format_html(
            '<figure class="chart-figure"><figcaption>{}</figcaption>{}'
            "<details><summary>{}</summary>{}</details></figure>",
            self.title,
            self.svg,
            _("Show the figures as a table"),
            self.table_html(),
        )

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return True


def _svg(
    width: int, height: int, title: str, desc: str, body: list[str], font: str
) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-t{n} chart-d{n}" '
        f'font-family="{font}" font-size="11">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis_label(x, y, text: str, axis: str, *, anchor: str, font: str) -> str:
    """What runs along an axis, and in which unit; ``axis`` is "x" or "y".
    Written horizontally (the y label above its axis), which the PDF's SVG
    reader draws as it is."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="10" fill="#333" '
        f'font-family="{font}" class="axis-label" data-axis="{axis}">{escape(text)}</text>'
    )


def _text(
    x, y, text, *, anchor="start", size=11, fill="#222", weight="normal", font=FONT
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}" font-family="{font}">{escape(text)}</text>'
    )


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def _axis(left, top, width, height, maximum, font) -> list[str]:
    parts = []
    for i in range(5):
        value = maximum * i / 4
        y = top + height - height * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(
            _text(
                left - 4,
                y + 4,
                _number(int(value)) if value == int(value) else f"{value:.1f}",
                anchor="end",
                size=10,
                fill="#555",
                font=font,
            )
        )
    return parts


def stacked_bars(
    month_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    height: int = 316,
    font: str = FONT,
) -> Chart:
    """Columns per month, stacked by series (e.g. new jobs by district)."""
    left, top, right = 48, 28, 150
    plot_w, plot_h = width - left - right, height - top - 56
    totals = [
        sum(values[i] for _name, values in series) for i in range(len(month_labels))
    ]
    maximum = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(month_labels), 1)
    bar_w = slot * 0.7
    parts = _axis(left, top, plot_w, plot_h, maximum, font)
    parts.append(_axis_label(4, 12, y_label, "y", anchor="start", font=font))
    parts.append(
        _axis_label(
            left + plot_w / 2,
            top + plot_h + 32,
            x_label,
            "x",
            anchor="middle",
            font=font,
        )
    )
    for i, label in enumerate(month_labels):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for colour, (name, values) in zip(itertools.cycle(PALETTE), series):
            h = plot_h * values[i] / maximum
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{escape(name)} {escape(label)}: {values[i]:,}</title></rect>"
                )
        parts.append(
            _text(
                x + bar_w / 2,
                top + plot_h + 14,
                label,
                anchor="middle",
                size=10,
                font=font,
            )
        )
        parts.append(
            _text(
                x + bar_w / 2,
                top + plot_h - plot_h * totals[i] / maximum - 3,
                _number(totals[i]),
                anchor="middle",
                size=9,
                fill="#333",
                font=font,
            )
        )
    for n, (colour, (name, _values)) in enumerate(
        zip(itertools.cycle(PALETTE), series)
    ):
        y = top + n * 16
        parts.append(
            f'<rect x="{width - right + 10}" y="{y}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(_text(width - right + 24, y + 9, name, size=10, font=font))
    desc = "; ".join(
        f"{label}: {total:,}" for label, total in zip(month_labels, totals, strict=True)
    )
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (x_label, *[name for name, _values in series], _("Total")),
        tuple(
            (
                label,
                *[_number(values[i]) for _name, values in series],
                _number(totals[i]),
            )
            for i, label in enumerate(month_labels)
        ),
    )


def line_against_target(
    month_labels: Sequence[str],
    values: Sequence[int],
    target: int,
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    height: int = 276,
    font: str = FONT,
) -> Chart:
    """A cumulative line with a horizontal target line."""
    left, top, right = 48, 28, 20
    plot_w, plot_h = width - left - right, height - top - 56
    maximum = _nice_max(max([*values, target, 1]))
    slot = plot_w / max(len(month_labels), 1)
    parts = _axis(left, top, plot_w, plot_h, maximum, font)
    parts.append(_axis_label(4, 12, y_label, "y", anchor="start", font=font))
    parts.append(
        _axis_label(
            left + plot_w / 2,
            top + plot_h + 32,
            x_label,
            "x",
            anchor="middle",
            font=font,
        )
    )
    points = []
    for i, (label, value) in enumerate(zip(month_labels, values, strict=True)):
        x = left + slot * i + slot / 2
        y = top + plot_h - plot_h * value / maximum
        points.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}"><title>{escape(label)}: {value:,}</title></circle>'
        )
        parts.append(
            _text(x, top + plot_h + 14, label, anchor="middle", size=10, font=font)
        )
        parts.append(
            _text(x, y - 6, _number(value), anchor="middle", size=9, font=font)
        )
    if points:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
    if target:
        y = top + plot_h - plot_h * target / maximum
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{PALETTE[5]}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            _text(
                left + 4,
                y - 4,
                f"{_('Target')} {target:,}",
                anchor="start",
                size=10,
                fill=PALETTE[5],
                font=font,
            )
        )
    last = values[-1] if values else 0
    desc = _("%(value)s against a target of %(target)s.") % {
        "value": f"{last:,}",
        "target": f"{target:,}",
    }
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (x_label, y_label, _("Target")),
        tuple(
            (label, _number(value), _number(target))
            for label, value in zip(month_labels, values, strict=True)
        ),
    )


def _percent_text(value) -> str:
    return f"{value} %" if value is not None else "–"


def achievement_bars(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    label_axis: str,
    width: int = 640,
    font: str = FONT,
) -> Chart:
    """Horizontal bars of achievement in %, with the 100 % line; ``label_axis``
    names what the bars are (projects, districts)."""
    label_w, right, row_h, top = 230, 60, 20, 24
    height = top + row_h * len(items) + 40
    plot_w = width - label_w - right
    maximum = max([120.0, *[float(v or 0) for _l, v in items]])
    x_label = _("Job achievement (%)")
    parts = [
        _axis_label(label_w - 6, 14, label_axis, "y", anchor="end", font=font),
        _axis_label(
            label_w + plot_w / 2, height - 4, x_label, "x", anchor="middle", font=font
        ),
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = plot_w * float(value or 0) / maximum
        colour = PALETTE[2] if value is not None and float(value) >= 100 else PALETTE[0]
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            _text(label_w - 6, y + 13, short, anchor="end", size=10, font=font)
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}">'
            f"<title>{escape(label)}: {_percent_text(value)}</title></rect>"
        )
        parts.append(
            _text(
                label_w + w + 4,
                y + 13,
                _percent_text(value),
                size=10,
                font=font,
            )
        )
    x100 = label_w + plot_w * 100 / maximum
    parts.append(
        f'<line x1="{x100:.1f}" y1="{top}" x2="{x100:.1f}" y2="{height - 36}" stroke="#333" '
        f'stroke-dasharray="3 3"/>'
    )
    parts.append(_text(x100, height - 22, "100 %", anchor="middle", size=10, font=font))
    desc = "; ".join(f"{label}: {_percent_text(value)}" for label, value in items)
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (label_axis, x_label),
        tuple((label, _percent_text(value)) for label, value in items),
    )


def heat_map(
    row_labels: Sequence[str],
    month_labels: Sequence[str],
    states: Sequence[Sequence[str]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    font: str = FONT,
) -> Chart:
    """Rows (districts) × months, each cell coloured by the month's worst report state."""
    names = {
        "on_time": _("on time"),
        "late": _("late"),
        "missing": _("missing"),
        "not_yet_due": _("not yet due"),
        "none": _("no report owed"),
    }
    label_w, top, row_h = 110, 34, 18
    cell_w = (width - label_w - 10) / max(len(month_labels), 1)
    height = top + row_h * len(row_labels) + 30
    parts = [
        _axis_label(label_w - 6, top - 5, y_label, "y", anchor="end", font=font),
        _axis_label(
            label_w + (width - label_w - 10) / 2,
            12,
            x_label,
            "x",
            anchor="middle",
            font=font,
        ),
    ]
    for j, label in enumerate(month_labels):
        parts.append(
            _text(
                label_w + cell_w * j + cell_w / 2,
                top - 5,
                label,
                anchor="middle",
                size=10,
                font=font,
            )
        )
    for i, (row, cells) in enumerate(zip(row_labels, states, strict=True)):
        y = top + i * row_h
        parts.append(_text(label_w - 6, y + 13, row, anchor="end", size=10, font=font))
        for j, state in enumerate(cells):
            parts.append(
                f'<rect x="{label_w + cell_w * j + 1:.1f}" y="{y + 1}" width="{cell_w - 2:.1f}" height="{row_h - 2}" '
                f'fill="{HEAT_COLOURS[state]}"><title>{escape(row)} {escape(month_labels[j])}: '
                f"{escape(names[state])}</title></rect>"
            )
    x = label_w
    for state in ("on_time", "late", "missing", "not_yet_due"):
        y = height - 14
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{HEAT_COLOURS[state]}"/>'
        )
        parts.append(_text(x + 14, y + 9, names[state], size=10, font=font))
        x += 110
    counts = {state: sum(row.count(state) for row in states) for state in names}
    desc = ", ".join(
        f"{names[s]}: {counts[s]}"
        for s in ("on_time", "late", "missing")
        if counts[s] or s == "missing"
    )
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (y_label, *month_labels),
        tuple(
            (row, *[names[state] for state in cells])
            for row, cells in zip(row_labels, states, strict=True)
        ),
    )


def sparkline(
    values: Sequence[int],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 220,
    height: int = 84,
    font: str = FONT,
) -> Chart:
    """Small monthly columns (for a project card)."""
    top, bottom = 14, 26  # the y label above, the months and the x label below
    maximum = max([*values, 1])
    slot = width / max(len(values), 1)
    plot_h = height - top - bottom
    parts = [
        _axis_label(0, 10, y_label, "y", anchor="start", font=font),
        _axis_label(width / 2, height - 2, x_label, "x", anchor="middle", font=font),
    ]
    for i, value in enumerate(values):
        h = plot_h * value / maximum
        parts.append(
            f'<rect x="{i * slot + 1:.1f}" y="{top + plot_h - h:.1f}" width="{slot - 2:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{i + 1}: {value:,}</title></rect>'
        )
        parts.append(
            _text(
                i * slot + slot / 2,
                top + plot_h + 10,
                str(i + 1),
                anchor="middle",
                size=8,
                fill="#666",
                font=font,
            )
        )
    desc = ", ".join(f"{i + 1}: {v:,}" for i, v in enumerate(values))
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (x_label, y_label),
        tuple((str(i + 1), _number(value)) for i, value in enumerate(values)),
    )


def year_bars(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 320,
    height: int = 196,
    font: str = FONT,
) -> Chart:
    """Columns of the same month in successive years; ``y_label`` says what
    is counted and in which unit."""
    left, top = 40, 22
    plot_w, plot_h = width - left - 10, height - top - 46
    maximum = _nice_max(math.ceil(max([v for _l, v in items] + [1])))
    slot = plot_w / max(len(items), 1)
    parts = _axis(left, top, plot_w, plot_h, maximum, font)
    parts.append(_axis_label(2, 10, y_label, "y", anchor="start", font=font))
    parts.append(
        _axis_label(
            left + plot_w / 2,
            top + plot_h + 32,
            x_label,
            "x",
            anchor="middle",
            font=font,
        )
    )
    for i, (label, value) in enumerate(items):
        h = plot_h * value / maximum
        x = left + slot * i + slot * 0.2
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0] if i == len(items) - 1 else PALETTE[8]}"/>'
        )
        parts.append(
            _text(
                x + slot * 0.3,
                top + plot_h + 14,
                label,
                anchor="middle",
                size=10,
                font=font,
            )
        )
        parts.append(
            _text(
                x + slot * 0.3,
                top + plot_h - h - 3,
                _number(value),
                anchor="middle",
                size=9,
                font=font,
            )
        )
    desc = "; ".join(f"{label}: {value:,}" for label, value in items)
    return Chart(
        _svg(width, height, title, desc, parts, font),
        title,
        (x_label, y_label),
        tuple((label, _number(value)) for label, value in items),
    )


# --- the charts of a roll-up ---------------------------------------------------


def month_labels(rollup) -> list[str]:
    return [f"{m}" for m in range(1, rollup.month + 1)]


def _month_axis(rollup) -> str:
    return _("Month of %(year)s") % {"year": rollup.year}


def new_jobs_by_district(rollup, *, font: str = FONT) -> Chart:
    return stacked_bars(
        month_labels(rollup),
        rollup.stacked_series(),
        title=_("New jobs per month, by district"),
        x_label=_month_axis(rollup),
        y_label=_("New jobs (people)"),
        font=font,
    )


def cumulative_jobs(rollup, *, font: str = FONT) -> Chart:
    return line_against_target(
        month_labels(rollup),
        rollup.totals.cumulative_jobs,
        rollup.totals.jobs_target,
        title=_("Jobs created to date against the target"),
        x_label=_month_axis(rollup),
        y_label=_("Jobs created to date (people)"),
        font=font,
    )


def project_achievement(rollup, *, font: str = FONT) -> Chart:
    items = [(f"{p.code} {p.name}", p.achievement) for p in rollup.projects]
    return achievement_bars(
        items,
        title=_("Job achievement per project"),
        label_axis=_("Project"),
        font=font,
    )


def district_achievement(rollup, *, font: str = FONT) -> Chart:
    items = [(d.name, d.achievement) for d in rollup.districts]
    return achievement_bars(
        items,
        title=_("Job achievement per district"),
        label_axis=_("District"),
        font=font,
    )


def reporting_heat_map(rollup, *, font: str = FONT) -> Chart:
    rows = [d.name for d in rollup.districts]
    states = [[cell.state for cell in d.heat] for d in rollup.districts]
    return heat_map(
        rows,
        month_labels(rollup),
        states,
        title=_("Monthly reports by district: on time, late, missing"),
        x_label=_month_axis(rollup),
        y_label=_("District"),
        font=font,
    )


def year_over_year(rollup, *, font: str = FONT) -> Chart:
    """The chosen indicator by the same month, year by year, in its unit."""
    compared = rollup.year_over_year
    indicator = compared.indicator
    items = [(str(y.year), y.value) for y in compared]
    return year_bars(
        items,
        title=_("%(indicator)s by the same month, year by year (%(unit)s)")
        % {"indicator": indicator.name, "unit": indicator.unit},
        x_label=_("Year"),
        y_label=_("%(indicator)s (%(unit)s)")
        % {"indicator": indicator.name, "unit": indicator.unit},
        font=font,
    )


def project_sparkline(rollup, project, *, font: str = FONT) -> Chart:
    return sparkline(
        project.monthly_jobs,
        title=_("New jobs per month: %(project)s") % {"project": project.name},
        x_label=_month_axis(rollup),
        y_label=_("New jobs (people)"),
        font=font,
    )
