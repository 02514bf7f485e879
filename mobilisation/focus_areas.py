"""Para 217's key areas of focus of the five-year rolling maturity plan, as data: (code, group heading, title,
description), in the seeds' order under their five headings. Version 1 of a plan starts with all of them; the
seeds call the list "including but not exhaustive", so a plan's focus areas are its own rows, copied from
version to version, not this list."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FOCUS_AREAS", "FOCUS_AREA_GROUPS", "FocusAreaSpec"]


class FocusAreaSpec(NamedTuple):
    code: str
    group: str
    title: str
    description: str


PEOPLE = "People structure and location"
DIGITAL = "Digitisation and innovation"
COMMERCIAL = "Commercial and Supply Chain"
SYSTEMS = "Systems and processes"
PERFORMANCE = "Performance"

FOCUS_AREA_GROUPS: tuple[str, ...] = (PEOPLE, DIGITAL, COMMERCIAL, SYSTEMS, PERFORMANCE)

FOCUS_AREAS: tuple[FocusAreaSpec, ...] = (
    FocusAreaSpec("smp-resources", PEOPLE, "SMP resources",
                  "Ensuring the smooth running of all programmes across the SMP and transition to the Alliance "
                  "sole delivery of the SMP."),
    FocusAreaSpec("client-presence", PEOPLE, "Client presence in Alliance",
                  "The development of the Client in the Alliance to ensure resilience."),
    FocusAreaSpec("location", PEOPLE, "Location",
                  "Ensuring the co-location of resources where required to deliver core activities and maximise "
                  "efficiency of Alliance operations."),
    FocusAreaSpec("edi", PEOPLE, "EDI", "Delivering the EDI policy consistently across the Alliance."),
    FocusAreaSpec("integration-of-roles", PEOPLE, "Integration of roles",
                  "The approach to rationalising and streamlining roles within the Alliance."),
    FocusAreaSpec("culture-and-behaviours", PEOPLE, "Culture and behaviours",
                  "Ensuring the right behaviours are observed and sustained within the Alliance as per the "
                  "Behavioural Maturity Framework outlined in Annex B."),
    FocusAreaSpec("engagement-strategy", PEOPLE, "Engagement strategy",
                  "Delivery of a collaborative internal engagement strategy."),
    FocusAreaSpec("skills-and-talent", PEOPLE, "Skills and talent development",
                  "Understanding current and future skills requirements, the skills gaps across the Alliance and "
                  "the approach to addressing the gaps."),
    FocusAreaSpec("digital-strategy", DIGITAL, "Digital strategy",
                  "The development of a digital strategy which supports the delivery of the Alliance objectives."),
    FocusAreaSpec("innovation-strategy", DIGITAL, "Innovation strategy",
                  "The development of an environment where innovation is embedded into day-to-day Alliance "
                  "operations and benefits tracked."),
    FocusAreaSpec("supply-chain-integration", COMMERCIAL, "Supply Chain integration",
                  "Development of a single solution to sourcing Suppliers embedded across the Alliance."),
    FocusAreaSpec("tier-two-involvement", COMMERCIAL, "Tier two Supply Chain involvement",
                  "Integration of tier 2 and 3 suppliers into the planning process."),
    FocusAreaSpec("primary-contracts", COMMERCIAL, "Primary contracts to manage SMP activity",
                  "Development of a more centrally managed programme."),
    FocusAreaSpec("sme-spend-plan", COMMERCIAL, "SME spend plan",
                  "To meet the % SME spend set by the government."),
    FocusAreaSpec("subcontractor-capability", COMMERCIAL, "Subcontractor capability development",
                  "Establishing present state capability of the Supply Chain and developing a plan to support the "
                  "development of Subcontractors."),
    FocusAreaSpec("kpi-alignment", COMMERCIAL, "KPI alignment",
                  "Ensuring alignment of Alliance outcomes and DfT outcomes throughout delivery of the SMP."),
    FocusAreaSpec("systems-landscape", SYSTEMS, "Systems landscape",
                  "The development of a fully integrated, agile and scalable systems landscape."),
    FocusAreaSpec("digital-rehearsals", SYSTEMS, "Digital rehearsals (off-site)",
                  "Development of an approach to digital rehearsals in order to prevent on-site issues arising."),
    FocusAreaSpec("asset-data-integrity", SYSTEMS, "Asset data integrity",
                  "The eradication of data integrity issues to ensure the delivery of the data strategy and "
                  "support effective decision making."),
    FocusAreaSpec("management-information", SYSTEMS, "Management information",
                  "Ensuring a single version of the truth for effective decision-making."),
    FocusAreaSpec("design-standardisation", SYSTEMS, "Standardisation of design",
                  "The development of an agile, standardised process to design."),
    FocusAreaSpec("design-effectiveness", SYSTEMS, "Effectiveness of design",
                  "Developing ways of working to limit the need for design rework (e.g. through strong "
                  "relationship between designers and contractors)."),
    FocusAreaSpec("construction-management-processes", SYSTEMS,
                  "Standardisation of construction management processes",
                  "The productionisation of the delivery process with a standard approach to delivery."),
    FocusAreaSpec("production-hub-processes", SYSTEMS, "Standardisation of Production Hub management processes",
                  "Development of programme-wide strategies and processes."),
    FocusAreaSpec("decision-making-authority", SYSTEMS, "Decision making authority",
                  "Plan to provide the Alliance with increasing responsibility in discharging of duties."),
    FocusAreaSpec("quality-and-improvement", PERFORMANCE, "Quality and continuous improvement",
                  "Development of an integrated management system to deliver consistent quality across all Schemes "
                  "and in overall Alliance operations."),
    FocusAreaSpec("efficiencies", PERFORMANCE, "Efficiencies",
                  "The delivery of efficiencies throughout the life of the Alliance."),
    FocusAreaSpec("customer-experience", PERFORMANCE, "Customer experience",
                  "Ensure the best possible customer experience through roadworks."),
    FocusAreaSpec("health-safety-wellbeing", PERFORMANCE, "Health, safety and wellbeing",
                  "Development of an integrated approach to achieve industry-leading standards in health, safety "
                  "and wellbeing."),
)
