"""The metric catalogue as seeded from Table 6 (para 149), in its order, with a stable code for each metric.

Table 6 marks the metrics that inform client intervention by a darker shading that the text copy has lost.
Decision (ours): the safety, customer, network-flow, efficiency and EVM metrics and technology asset
availability inform client intervention (13 metrics); the environmental, economic-growth and EDI metrics support
evolving behaviours (7), the areas para 146 names for them (environment, local economic growth).
Only the first group gives the client intervention or termination rights (docs/performance.md); a metric moves
between the groups only by an amendment of the framework, unanimous at the Board (para 148, services/framework.py).

Annex C (raw measure → score) is missing: the bands below are illustrative starting points the administrator
edits; each is (score, threshold) for the metric's direction (docs/domain.md section 5).
"""

from __future__ import annotations

from decimal import Decimal

D = Decimal
HIGHER, LOWER = "higher", "lower"

# (code, imperative, outcome, indicator, title, informs intervention, health and safety, unit, direction, bands)
TABLE_6: list[tuple] = [
    ("afr", "Safety", "Making the network safer", "Workforce Safety",
     "Accident Frequency Rate (AFR) for construction and maintenance workers", True, True, "per 100,000 hours", LOWER,
     [(10, "0.05"), (8, "0.10"), (6, "0.15"), (4, "0.20"), (2, "0.30"), (0, "999")]),
    ("ksi", "Safety", "Making the network safer", "Customer Safety",
     "The number of Killed or Seriously Injured (KSIs) on the Strategic Road Network (SRN)", True, True, "KSIs", LOWER,
     [(10, "0"), (8, "1"), (6, "2"), (4, "3"), (2, "5"), (0, "9999")]),
    ("delay-in-works", "Customer", "Improving user satisfaction", "Customer Journey Time", "Average delay in works",
     True, False, "minutes", LOWER, [(10, "1"), (8, "2"), (6, "3"), (4, "5"), (2, "8"), (0, "9999")]),
    ("cpaa", "Customer", "Improving user satisfaction", "Customer Satisfaction",
     "Customer Performance Assurance Assessment", True, False, "%", HIGHER,
     [(10, "90"), (8, "80"), (6, "70"), (4, "60"), (2, "50"), (0, "0")]),
    ("customer-audits", "Customer", "Improving user satisfaction", "Customer Satisfaction", "Customer audits", True,
     False, "%", HIGHER, [(10, "90"), (8, "80"), (6, "70"), (4, "60"), (2, "50"), (0, "0")]),
    ("construction-duration", "Customer", "Supporting smooth flow traffic", "Network Availability",
     "Reduction in construction duration", True, False, "%", HIGHER,
     [(10, "20"), (8, "15"), (6, "10"), (4, "5"), (2, "0"), (0, "-9999")]),
    ("incident-clearance", "Customer", "Supporting smooth flow traffic", "Incident Clearance Through Roadworks",
     "Percentage of motorway incidents cleared within one hour", True, False, "%", HIGHER,
     [(10, "95"), (8, "90"), (6, "85"), (4, "80"), (2, "70"), (0, "0")]),
    ("efficiency-targets", "Delivery of the RIS", "Achieving real efficiency", "Efficiency – Cost Reduction",
     "Performance against programme efficiency targets", True, False, "% of target", HIGHER,
     [(10, "110"), (8, "100"), (6, "90"), (4, "80"), (2, "70"), (0, "0")]),
    ("cost-per-km", "Delivery of the RIS", "Achieving real efficiency", "Efficiency",
     "Productivity target (£ per km)", True, False, "% of target", LOWER,
     [(10, "90"), (8, "100"), (6, "105"), (4, "110"), (2, "120"), (0, "9999")]),
    ("km-per-month", "Delivery of the RIS", "Achieving real efficiency", "Efficiency",
     "Productivity target (km per month)", True, False, "% of target", HIGHER,
     [(10, "110"), (8, "100"), (6, "95"), (4, "90"), (2, "80"), (0, "0")]),
    ("investment-retained", "Delivery of the RIS", "Achieving real efficiency", "Efficiency",
     "Cost Management target (% of investment retained in asset)", True, False, "%", HIGHER,
     [(10, "90"), (8, "85"), (6, "80"), (4, "75"), (2, "70"), (0, "0")]),
    ("evm-variance", "Delivery of the RIS", "Achieving real efficiency", "Earned Value Management", "EVM Variance",
     True, False, "% variance", LOWER, [(10, "2"), (8, "5"), (6, "8"), (4, "12"), (2, "20"), (0, "9999")]),
    ("co2e", "Delivery of the RIS", "Delivering better environmental outcomes", "Environmental",
     "Carbon dioxide equivalents (or CO2e) in tonnes associated with the Client and its supply chain", False, False,
     "% of baseline", LOWER, [(10, "80"), (8, "90"), (6, "100"), (4, "105"), (2, "110"), (0, "9999")]),
    ("biodiversity", "Delivery of the RIS", "Delivering better environmental outcomes", "Environmental",
     "Natural, built and historic environment: Biodiversity Metric", False, False, "% net gain", HIGHER,
     [(10, "10"), (8, "5"), (6, "0"), (4, "-5"), (2, "-10"), (0, "-9999")]),
    ("water-quality", "Delivery of the RIS", "Delivering better environmental outcomes", "Environmental",
     "Human wellbeing: Water quality", False, False, "% samples compliant", HIGHER,
     [(10, "99"), (8, "97"), (6, "95"), (4, "90"), (2, "85"), (0, "0")]),
    ("sme-spend", "Delivery of the RIS", "Encouraging economic growth", "SMEs",
     "% of value spend through SME Subcontractors", False, False, "%", HIGHER,
     [(10, "33"), (8, "30"), (6, "25"), (4, "20"), (2, "15"), (0, "0")]),
    ("employment-development", "Delivery of the RIS", "Encouraging economic growth", "Employment and Development",
     "Employment & development", False, False, "% of target", HIGHER,
     [(10, "110"), (8, "100"), (6, "90"), (4, "80"), (2, "70"), (0, "0")]),
    ("employee-engagement", "Delivery of the RIS", "Encouraging economic growth", "Employment and Development",
     "Employee engagement", False, False, "%", HIGHER,
     [(10, "80"), (8, "75"), (6, "70"), (4, "65"), (2, "60"), (0, "0")]),
    ("edi", "Delivery of the RIS", "Encouraging economic growth", "EDI", "Equality, diversity and inclusion (EDI)",
     False, False, "% of target", HIGHER, [(10, "110"), (8, "100"), (6, "90"), (4, "80"), (2, "70"), (0, "0")]),
    ("technology-availability", "Keeping the network in good condition", "Keeping the network in good condition",
     "Technology asset", "Technology asset availability", True, False, "%", HIGHER,
     [(10, "99"), (8, "98"), (6, "97"), (4, "95"), (2, "90"), (0, "0")]),
]
