"""The scorecard's cell, as a tag rather than an included template: a full page of the scorecard has a thousand of
them (50 schemes by 20 metrics). Measured on the demo's page (147 cells), in-process: the included templates
took about 5 ms of the page's 30 ms; with the tag the page's median went from 30.5 to 28.9 ms."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

MISSING = mark_safe('<span class="app-scorecard__word">missing</span>')  # noqa: S308 - a constant
CORRECTED = mark_safe(  # noqa: S308 - a constant
    '<abbr class="app-scorecard__corrected" title="Corrected after freezing">C</abbr>'
    '<span class="govuk-visually-hidden"> (corrected after freezing)</span>'
)
SATISFACTORY = mark_safe('<span class="govuk-visually-hidden"> satisfactory</span>')  # noqa: S308 - a constant


@register.simple_tag
def scorecard_cell(cell: dict, decimals) -> str:
    """A scorecard cell: the number (``floatformat:decimals``), the tier in words (colour is never the only
    signal) and a marker when the score was corrected after freezing. ``cell`` is performance.views' _cell."""
    if cell["value"] is None:
        content = MISSING
    else:
        tier = SATISFACTORY if cell["css"] == "ok" else format_html(
            '<span class="app-scorecard__word">{}</span>', cell["word"])
        content = format_html("{}{}{}", floatformat(cell["value"], decimals), CORRECTED if cell["corrected"] else "",
                              tier)
    return format_html(
        '<td class="govuk-table__cell govuk-table__cell--numeric app-scorecard__cell app-scorecard__cell--{}"{}'
        ' data-tier="{}">{}</td>',
        cell["css"], mark_safe(' data-corrected="true"') if cell["corrected"] else "", cell["css"], content,  # noqa: S308
    )
