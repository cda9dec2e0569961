"""A project's site-visit line, for the project's own page."""

from django import template

from inspections import selectors

register = template.Library()


@register.inclusion_tag("inspections/_project_line.html")
def site_visits_line(project):
    summary = selectors.project_findings_summary(project)
    return {
        "project": project,
        "summary": summary,
        "words": selectors.findings_words(summary),
    }
