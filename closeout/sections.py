"""Sections of the final report filled by other apps: a registry.

``register_final_report_section(key, title_callable, fn)``: ``title_callable()``
returns the section's title in the active language, ``fn(project)`` its rows
(a list of dicts of plain values: counts, codes, amounts in won — never
personal data). The final report shows each section as a table while it is a
draft and freezes the rows (and the title in Korean and English) in the
snapshot when it is submitted. Settlement (funding) and site-visit findings
(inspections) register theirs from their ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass

SectionRows = Callable[[object], list[dict]]


@dataclass(frozen=True)
class Section:
    key: str
    title: Callable[[], str]
    rows: SectionRows


_SECTIONS: dict[str, Section] = {}


def register_final_report_section(
    key: str, title_callable: Callable[[], str], fn: SectionRows
) -> Section:
    """Add (or replace, under the same key) a section of the final report."""
    section = Section(key=key, title=title_callable, rows=fn)
    _SECTIONS[key] = section
    return section


def unregister_final_report_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def final_report_sections() -> list[Section]:
    return list(_SECTIONS.values())
