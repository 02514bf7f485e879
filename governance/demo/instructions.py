"""Demo client instructions, one at each stage, one of them overdue. Idempotent (skipped once any exists)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alliance.dates import local_today
from alliance.models import Alliance, Person
from governance import services
from governance.models import Choice, ClientInstruction


def seed_demo(alliance: Alliance) -> None:
    if ClientInstruction.objects.filter(alliance=alliance).exists():
        return
    sro, manager = Person.objects.get(username="sro"), Person.objects.get(username="alliance-manager")
    today = local_today()

    def issue(title, description, days_ago, ministerial=False):
        return services.instruction_issue(actor=sro, title=title, description=description,
                                          issued_on=today - dt.timedelta(days=days_ago), ministerial=ministerial)

    def assess(instruction, summary, cost, days, risk):
        return services.impact_assessment_submit(actor=manager, instruction=instruction, summary=summary,
                                                 cost_effect=Decimal(cost), time_effect_days=days, risk_effect=risk)

    # Overdue: issued 35 days ago, the impact assessment was due a week ago (para 27).
    issue("Add emergency refuge areas between J10 and J13",
          "Provide two additional emergency refuge areas on the northbound carriageway.", 35)
    # On time, ministerial: 14 days (para 31).
    issue("Ministerial requirement: stopped vehicle detection on all ALR schemes",
          "Retrofit stopped vehicle detection to every all lane running scheme in the programme.", 4, ministerial=True)
    # With the Board: the recommendation's decision is open for votes.
    assess(issue("Change the signing strategy on the M6 J21a-26 scheme",
                 "Adopt the revised signing layout issued in the client's standard.", 20),
           "Recommend adopting the layout from the next design stage; no effect on the PCF stage 5 milestone.",
           "48000.00", 0, "Low: drawings are not yet issued for construction.")
    # Accepted by the client and instructed.
    done = assess(issue("Use the regional traffic management framework for night closures",
                        "Book all night closures through the regional framework.", 70),
                  "Recommend proceeding; minor saving on traffic management.", "-12500.00", -3, "None identified.")
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]:
        services.vote_cast(actor=Person.objects.get(username=username), decision=done.decision, choice=Choice.FOR)
    services.decision_close(actor=sro, decision=done.decision)
    done.refresh_from_db()
    services.instruction_client_decide(actor=sro, instruction=done, accept=True)
    services.instruction_instruct(actor=manager, instruction=done,
                                  instruction_text="All Lot 3 partners book night closures through the regional "
                                                   "framework from 1 January.")
