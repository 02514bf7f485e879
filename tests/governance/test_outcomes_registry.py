"""The registry of Board outcomes (governance/outcomes.py): one call per app registers its workflows'
handlers; a handler runs only for the record whose current decision closed; two workflows may share a
Decision Matrix type, the closing decision going to the one whose record is its subject."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from governance import outcomes
from governance.outcomes import BoardOutcomes, register_outcomes
from people.models import PortfolioRecommendation, ResourcingProposal

CODE = "test-shared-code"


@dataclass(frozen=True)
class _Found(BoardOutcomes):
    """A BoardOutcomes whose record lookup is given, so the registry is tested without a database."""

    record: object = None

    def current_record(self, decision):
        return self.record


def _decision(model):
    return SimpleNamespace(subject_type=SimpleNamespace(model_class=lambda: model), subject_id=1, pk=9)


@pytest.fixture
def registry():
    yield
    outcomes.unregister(CODE)


def test_a_shared_decision_type_goes_to_the_workflow_of_its_subject(registry):
    seen = []
    proposals = _Found(ResourcingProposal, waiting="with_board", record="proposal",
                       handlers={CODE: lambda record, decision: seen.append(("proposals", record))})
    portfolios = _Found(PortfolioRecommendation, waiting="with_board", record="portfolio",
                        handlers={CODE: lambda record, decision: seen.append(("portfolios", record))})
    register_outcomes(proposals, portfolios)

    outcomes.handler_for(CODE)(_decision(PortfolioRecommendation))
    outcomes.handler_for(CODE)(_decision(ResourcingProposal))

    assert seen == [("portfolios", "portfolio"), ("proposals", "proposal")]


def test_a_decision_that_is_no_longer_the_records_current_one_changes_nothing(registry):
    seen = []
    stale = _Found(ResourcingProposal, waiting="with_board", record=None,
                   handlers={CODE: lambda record, decision: seen.append(record)})
    register_outcomes(stale)

    outcomes.handler_for(CODE)(_decision(ResourcingProposal))

    assert seen == []


def test_registering_the_same_workflows_again_is_harmless_but_another_handler_for_the_code_is_refused(registry):
    first = _Found(ResourcingProposal, waiting="with_board", handlers={CODE: lambda record, decision: None})
    register_outcomes(first)
    register_outcomes(first)  # AppConfig.ready() may run twice (tests, management commands)

    other = _Found(PortfolioRecommendation, waiting="with_board", handlers={CODE: lambda record, decision: None})
    with pytest.raises(ValueError, match=CODE):
        register_outcomes(other)


def test_the_record_waits_on_the_board_by_one_status_several_or_a_predicate():
    record = SimpleNamespace(status="with_board")
    assert BoardOutcomes(ResourcingProposal, waiting="with_board", handlers={}).is_waiting(record)
    assert BoardOutcomes(ResourcingProposal, waiting=("proposed", "with_board"), handlers={}).is_waiting(record)
    assert not BoardOutcomes(ResourcingProposal, waiting="proposed", handlers={}).is_waiting(record)
    assert BoardOutcomes(ResourcingProposal, waiting=lambda r: r.status.startswith("with"),
                         handlers={}).is_waiting(record)
