"""The scorecard's cell tag renders what the page and its tests read: the number, the tier in words, the
correction marker (para 160: corrections after freezing are shown), and rounding as the floatformat filter does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from performance.views.scorecard import _cell


def render(cell: dict, decimals) -> str:
    return Template('{% load scorecard_tags %}{% scorecard_cell c d %}').render(Context({"c": cell, "d": decimals}))


def test_missing_score_says_so_in_words():
    html = render(_cell(None), "-1")
    assert 'data-tier="missing"' in html and '<span class="app-scorecard__word">missing</span>' in html


def test_satisfactory_score_is_a_number_and_a_hidden_word():
    html = render(_cell(8), "-1")
    assert html == ('<td class="govuk-table__cell govuk-table__cell--numeric app-scorecard__cell '
                    'app-scorecard__cell--ok" data-tier="ok">8<span class="govuk-visually-hidden"> satisfactory'
                    '</span></td>')


@pytest.mark.parametrize(("score", "word"), [(0, "failure"), (4, "under")])
def test_poor_scores_carry_their_tier_in_words(score, word):
    html = render(_cell(score), "-1")
    assert f'<span class="app-scorecard__word">{word}</span>' in html


def test_a_corrected_score_is_marked():
    html = render(_cell(6, corrected=True), "-1")
    assert ' data-corrected="true"' in html and 'title="Corrected after freezing">C</abbr>' in html
    assert "data-corrected" not in render(_cell(6), "-1")


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (Decimal("7.25"), 1, ">7.3<"), (Decimal("7"), 1, ">7.0<"), (Decimal("6.5"), "-1", ">6.5<"), (10, "-1", ">10<"),
])
def test_numbers_are_rounded_as_floatformat_rounds_them(value, decimals, shown):
    assert shown in render(_cell(value), decimals)
