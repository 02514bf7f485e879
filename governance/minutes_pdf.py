"""The minutes of a Board meeting as a PDF (ReportLab), from the same content as the printable page."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def minutes_pdf(content: dict) -> bytes:
    meeting = content["meeting"]
    styles = getSampleStyleSheet()
    body, h1, h2, h3 = styles["BodyText"], styles["Title"], styles["Heading2"], styles["Heading3"]
    starts = timezone.localtime(meeting.starts_at)
    if meeting.minutes_approved_at:
        status = f"Approved by {meeting.minutes_approved_by} on {timezone.localtime(meeting.minutes_approved_at):%-d %B %Y}"
    else:
        status = "Draft: not yet approved by the chair"
    story = [
        _p(f"Minutes: {meeting.title}, {starts:%A %-d %B %Y, %H:%M}", h1),
        _p(f"{meeting.location}. {status}.", body),
        _p("Present and apologies", h2),
        ListFlowable([_p(f"{a.person}, {a.organisation.name} ({a.get_capacity_display().lower()}): "
                         f"{a.get_status_display().lower()}", body) for a in content["attendances"]] or
                     [_p("None recorded.", body)], bulletType="bullet"),
        _p("Agenda", h2),
        ListFlowable([_p(item.title, body) for item in content["agenda"]] or [_p("None.", body)], bulletType="1"),
        _p("Decisions", h2),
    ]
    for row in content["decisions"]:
        decision, tally = row["decision"], row["tally"]
        outcome = decision.get_outcome_display() if decision.outcome else "Open"
        story += [
            _p(decision.title, h3),
            _p(f"{decision.decision_type.name}: {decision.get_authority_display().lower()}"
               f"{' (' + decision.rule_paragraph + ')' if decision.rule_paragraph else ''}. {outcome}. "
               f"For {tally.votes_for}, against {tally.against}, abstain {tally.abstain}, not voted {tally.missing}.", body),
            ListFlowable([_p(f"{b['organisation'].name}: " + (
                f"{b['vote'].get_choice_display().lower()} ({b['vote'].cast_by}, {b['vote'].get_capacity_display().lower()})"
                if b["vote"] else "did not vote"), body) for b in row["ballot"]], bulletType="bullet"),
        ]
    if not content["decisions"]:
        story.append(_p("No decisions.", body))
    story += [_p("Notes", h2), *[_p(line, body) for line in (meeting.minutes_notes or "None.").splitlines() if line.strip()],
              Spacer(1, 6 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"Minutes: {meeting.title}", author="Alliance governance",
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
                      pageCompression=0).build(story)
    return buffer.getvalue()
