"""The outcomes of the Infrastructure Client Group's Alliancing Code of Practice (seed 003), as data.

The Code "is structured around the four key themes evident in successful alliances (figure 1.1): Behaviour,
Integration, Leadership and Commercial ... set out against the lifecycle phases of: Deciding, Creating,
Delivering and Sustaining an alliance", and "can be used ... as a more formal assessment tool. It allows
organisations to undertake a gap analysis and identify key areas for improvement" (Guidance notes).

Each outcome is quoted from the seed, in the seed's order, under the section it is printed in (2.1 to 5.4);
sub-bullets are joined with "; ". The code of an outcome is ``<phase>-<theme>-<nn>``, numbered in that order:
stable as long as outcomes are only ever appended to a cell, never reordered (ratings point at outcomes).

Where the seed's text (extracted from a laid-out PDF) differs from a clean 4 × 4 grid we follow the seed and say
so here:

* Deciding: "The proposed commercial model demonstrates how partners will generate a return ..." is printed just
  before the heading 2.4 Commercial (a page break); it is a commercial outcome and is listed first under 2.4.
  2.4 also repeats 2.3's "The customer outcomes ... are clear, agreed and documented": both are kept, as the
  seed lists it under both themes.
* Creating: "The alliance leadership are clearly engaged in the overriding vision ..." is printed inside 3.4
  Commercial, beside the box on belief-based leadership; it is a leadership outcome and is listed under 3.3.
* Delivering: the heading "4.1 Behaviour" is lost in the extracted text; the outcomes printed between the
  section's introduction and "4.2 Integration" are taken as Delivering · Behaviour. Table 4.1 (the role and
  reward mechanisms) is a table of characteristics, not outcomes, and is left out.
* Sustaining: figure 1.1's "Sustaining Integration" label is lost in extraction, and six outcomes about people,
  co-location and identity are printed under 5.1 Behaviour, before "5.2 Integration": they stay under
  Behaviour, where the seed prints them.
* The seed says critical outcomes "are highlighted accordingly"; the highlighting does not survive in the text,
  so no outcome is marked critical here.

So the grid is 4 × 4 but the cells are uneven: 144 outcomes from 3 to 18 per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CODE_OF_PRACTICE", "CODE_SECTIONS", "CodeOfPracticeOutcome"]


@dataclass(frozen=True)
class CodeOfPracticeOutcome:
    code: str
    phase: str
    theme: str
    section: str
    text: str
    order: int


# (phase, theme, the seed's section, outcomes in the seed's order)
CODE_SECTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("deciding", "behaviour", "2.1", (
        "The behaviours required at both organisational and individual level in order to achieve the required "
        "customer outcomes have been identified and set-out as part of the implementation plan.",
        "An initial change plan has been established that includes processes to develop the required behaviours "
        "across the client organisation.",
        "A development plan is in place to provide the client capabilities required to support an alliance model. "
        "This follows an assessment of strengths and weaknesses, particularly in relation to collaboration.",
        "The anticipated benefits of a collaborative environment have been communicated and are understood by all "
        "relevant stakeholders in the client organisation, providing an early view on why collaboration is "
        "required.",
        "The change plan recognises the additional challenges and the critical dependencies of positive client "
        "behaviour - and has led to a visible and positive approach to collaboration by the client.",
        "The benefits of adopting a collaborative approach have been identified and a measure for assessing the "
        "progress of collaboration has been included in the overall implementation plan.",
    )),
    ("deciding", "integration", "2.2", (
        "The proposed delivery organisation is highly integrated, recognising that in an alliance model the client "
        "team are part of the execution plan or project - not that the project is being transferred to a third "
        "party.",
        "‘Best for project’ selection principles have been established, providing a clear approach of how teams "
        "will be brought together from across the Alliance.",
        "The environmental enablers for collaboration, such as co-location and collaborative systems, have been "
        "identified and are covered in an implementation plan.",
    )),
    ("deciding", "leadership", "2.3", (
        "The commitment to establishing an alliance is evidenced in client corporate decisions such as Client "
        "Board or Sponsor approval to alliancing as the preferred delivery model.",
        "The customer outcomes (or business requirements) to be delivered by the alliance are clear, agreed and "
        "documented - and provide a clear starting point for the measurement of alliance performance.",
        "Commitment to alliancing is embedded at senior levels in the client organisation. This has been achieved "
        "through an engagement process that has established leadership buy-in prior to the Creating an alliance "
        "phase.",
        "An initial framework for the change plan is in place and is based on a clear understanding that effective "
        "collaboration will require an investment in cultural change across the client organisation.",
        "The duration of the alliance is clearly defined and an initial exit strategy is in place providing for "
        "effective close-out of the alliance.",
    )),
    ("deciding", "commercial", "2.4", (
        "The proposed commercial model demonstrates how partners will generate a return, the level of performance "
        "required to generate that return and how performance remains aligned with the client’s business "
        "requirements.",
        "The customer outcomes (or business requirements) to be delivered by the alliance are clear, agreed and "
        "documented.",
        "Clear commercial targets have been established at the outset of the alliance. Including how value will be "
        "measured for Whole Life Cost, Capital Cost and Operating Cost.",
        "The business case is based on identified and measurable improvements in current performance - "
        "collaboration is recognised as an enabler to these improvements, not an end in itself.",
        "The behaviours to be incentivised and created through the commercial model have been defined, for example "
        "collaboration, continuous improvement and customer service. The behaviours will be relevant to the "
        "particular business context.",
        "Commercial model principles have been established prior to the procurement process including: the process "
        "for establishing current baseline performance; the process for setting targets (the principles have been "
        "defined at this stage, as detail will be agreed when the alliance is in place); the general incentive "
        "arrangements (pain / gain).",
        "Targets in the commercial model are aligned with a clear view of current baseline performance - with value "
        "and performance measured from this baseline.",
        "The alliance will generate a return by outperforming against the defined baselines.",
        "Initial scenarios have been run to demonstrate and validate how all the members of the alliance will "
        "operate within the commercial model.",
        "The capabilities required to deliver the outcomes have informed an initial view of the procurement process "
        "for both the main alliance partners and the extended supply chain.",
        "A clear risk strategy has been set out in advance of the procurement process, identifying how risk will be "
        "allocated and dealt with within the commercial model.",
        "Risk management processes allocate risk to the party best placed to manage it.",
    )),
    ("creating", "behaviour", "3.1", (
        "The objectives set out for the alliance are clearly aligned with the overall customer outcomes and provide "
        "a framework for the procurement process.",
        "The overriding purpose, role and the required behaviours for the alliance have been consistently and "
        "widely shared with potential partner organisations prior to the procurement process.",
        "The selection process places an emphasis on assessing partner cultural capability, with the identified "
        "behaviours providing the measurement framework.",
        "The structure of the procurement process is relevant to the scale and nature of the project or programme "
        "(and does not simply follow a standard procurement structure).",
        "The selection process includes an assessment of the behavioural capability of the proposed partner core "
        "team. Core team roles have been defined in advance and the proposed partner representation is included in "
        "the teams attending assessment centres.",
    )),
    ("creating", "integration", "3.2", (
        "An initial concept has been agreed for the alliance identity and branding, as an enabler to the "
        "integration of partners and teams.",
        "Where appropriate, the opportunity has been taken to involve key stakeholders or the extended supply chain "
        "in the selection process, for example in behavioural assessments.",
        "A proposed management structure for the alliance has been set out and provides a clear representation of "
        "the leadership roles required.",
        "The alliance management structure provides the opportunity for senior level representation from the "
        "partners (subject to a future ‘best for task’ selection process), recognising the critical requirement "
        "for change leadership.",
        "The proposed alliance organisation includes a Board (or Project Board) that has cross partner "
        "representation - and that has collective responsibility for overall performance.",
        "The selection process includes an assessment of the proposed leadership team of each potential partner "
        "organisation.",
        "Alliance recruitment places an emphasis on appointing the right people with the right behaviour and the "
        "right attitude.",
        "The capabilities required from the proposed alliance roles (partners) have been identified and have been "
        "set-out as part of a complementary capability plan for the alliance.",
        "An assessment of the combined client and partner capability required to effectively deliver the programme "
        "or project has been made, setting out the capabilities both the existing client team and the partners "
        "will bring to the alliance.",
        "A best for task process has been set-out in advance of selection, providing clarity to partners on the "
        "process for assessing the suitability of individuals to key roles.",
        "The respective roles, including client and alliance, have been clearly defined and demonstrate how all "
        "roles (and accountabilities) are integrated within an overall delivery process.",
        "The people processes required to support integrated teams have been identified within the implementation "
        "plan, including how objective setting, performance management and personal development will be undertaken "
        "in integrated teams.",
        "An end-to-end delivery process has been set out that provides a clear route for the programme or project "
        "to progress, including key gateways and milestones.",
        "The declared goals, or success factors, for the alliance include the identified business drivers of the "
        "potential partners.",
        "A communication plan has been produced for use within the business and with potential partners that "
        "provides a clear articulation of the overriding aims and objectives for the alliance.",
        "The business case for the alliance includes benefit targets for all potential alliance parties (client and "
        "partners).",
    )),
    ("creating", "leadership", "3.3", (
        "Decision making responsibility and levels of delegation have been clearly defined, ensuring clarity on "
        "decision making responsibility across client, alliance and individual partners.",
        "The authority required for alliance leaders to fulfill their roles has been identified and is reflected in "
        "role descriptions",
        "The individuals proposed for alliance leadership roles have the authority to make collective alliance "
        "decisions on behalf of their partner organisations.",
        "The proposed delivery process enables partners and teams to be brought together early in the development "
        "of solutions (including strategic sub-contractors and suppliers) when integrated team have greatest "
        "influence on the project outcomes.",
        "The client or sponsor team has signed-up to the key targets for the alliance, ensuring key stakeholders "
        "have a shared expectation of what success looks like.",
        "The alliance leadership are clearly engaged in the overriding vision and are set to act as advocates "
        "throughout the transition phase.",
    )),
    ("creating", "commercial", "3.4", (
        "The procurement process has assessed partner capability, culture and cost in a process aligned with the "
        "outcomes required from of the project or programme.",
        "The selection process has placed an emphasis on behavioural and cultural capabilities; commercial aspects "
        "are limited to an assessment of how the partner will add value and to an assessment of underlying "
        "partners’ costs (e.g. cost to employ).",
        "The commercial model is built around the delivery outcomes or outputs (not scope) - providing a clear "
        "opportunity for innovation and improvement.",
        "Incentive arrangements in the commercial model are supported by clear mechanisms, including: how target "
        "costs and incentive thresholds are set; clear thresholds at which all parties generate a return; how "
        "shared pain / gain arrangements will work.",
        "The commercial model reflects a ‘best for project’ principle in relation to: work allocation; liabilities "
        "for pain and gain – partners are incentivised to collaborate in dealing with commercial challenges.",
        "The proposed alliance model creates open and visible relationships across all parties. The relationship "
        "between partner and client is contractually the same for all parties.",
        "The commercial model has been evaluated against current best practice and has had wide stakeholder input. "
        "Ensuring that a clear understanding of industry best practice and learning has been used to test the "
        "characteristics of the model before delivery.",
        "The proposed alliance commercial model is recognised by all parties as being challenging, performance "
        "focused and fair.",
        "The behaviours required for the success can be mapped directly to mechanisms within the commercial model "
        "(for example; collaboration, outperformance, delivery on time, customer service).",
        "Incentive arrangements are recognised as being self-financing, in that they are generated by "
        "outperforming an established baseline or by outperforming an affordability within the original business "
        "plan.",
        "The commercial model uses variable pain/gain arrangements, to ensure a fair distribution at all levels of "
        "performance and to avoid the perceived risk of ‘super’ profits.",
        "The commercial strategy for the wider supply chain extends the commercial principles established for the "
        "main alliance partners through the supply chain, increasing the ‘back to back’ principle through all "
        "strategic relationships.",
        "The key principles for the alliance agreement ensure the commercial model, and it’s focus on creating the "
        "right behaviours, are embedded in the agreement.",
        "A common reporting framework has been developed. This aligns the reporting requirements of client, "
        "alliance and partners - and is built on a single source of performance information.",
        "A joint improvement plan, including commercial targets, has been collectively signed-off by the selected "
        "partners, with on-going ownership clearly established within the integrated organisation.",
        "The commercial model is built on full visibility of all programme or project costs.",
        "An integrated commercial process has been defined, ensuring that all costs (client, partner, supply chain) "
        "are included within a robust forecasting and exception management process.",
    )),
    ("delivering", "behaviour", "4.1", (
        "The key alliance management groups are set up to act collectively, with representatives of the group "
        "acting in the collective interest of the alliance, not solely representing the interests of their home "
        "organisation.",
        "An appropriate process is in place to consider individual partner issues, so ensuring self-interest does "
        "not undermine the collaborative management groups.",
        "Clear challenges have been set for alliance teams to meet, that will capitalise on the constructive and "
        "positive response collaborative teams have to meeting stretching performance challenges (figure 4.1).",
        "A process has been established to share and embed the identified behaviours within delivery teams - and is "
        "being given an emphasis regardless of the perceived experience in alliancing.",
        "The best for task selection process places an emphasis on partners providing the right partner, ensuring "
        "the culture and capability of each partner is appropriately recognised in the integrated organisation.",
        "The behaviours required for success are included in job specifications / role descriptions for all "
        "members of the integrated teams.",
        "The improvement plan and improvement initiatives are collectively owned by the alliance. There is no "
        "client/contractor separation around the ownership of change.",
        "An effective collaborative environment has enabled teams to respond collectively and constructively to "
        "challenges presented by the project (or programme). This is an important attribute of collaborative "
        "teams.",
    )),
    ("delivering", "integration", "4.2", (
        "A proposed organisation model has been developed for the integrated alliance, with input from all alliance "
        "partners.",
        "The overall organisational model places an emphasis on developing the alliance around integrated delivery "
        "teams.",
        "Co-location of teams has been established, enabling the on-going development and operation of integrated "
        "alliance teams.",
        "An induction programme has been used to establish a shared understanding across the delivery organisation "
        "of the alliance purpose, the new ways of working and the key challenges.",
        "The process for selecting team members is clear and enables managers and team leaders to draw on "
        "individuals from across the partner organisations in a ‘best for the task’ process.",
        "An agreed process for the development of individuals and succession planning within the alliance is part "
        "of the offering to individuals when recruiting into the alliance.",
        "A process is in place for developing integrated teams, including opportunities for teams to collectively "
        "review their progress against: the behaviours required for the alliance to be successful; their "
        "development as a high performing integrated team.",
        "The process for developing integrated teams provides each team with an on-going development plan based on "
        "agreed gaps in capability, operating characteristics and behaviour.",
        "Selected alliance partners have agreed a development plan, immediately after selection, that takes account "
        "of feedback from the selection process.",
        "The objectives set out for alliance delivery teams are clearly aligned with the overall customer or "
        "business outcomes established at the outset of the alliance.",
        "An initial performance structure has been developed with an emphasis on integrated teams having collective "
        "ownership of alliance objectives, rather than objectives being partner specific.",
        "Decision making responsibility and delegation has been clearly defined, providing teams with clarity on "
        "where governance responsibility sits across client, alliance and individual partners. This includes "
        "programme or project approvals and any subsequent exceptions process.",
        "Processes are in place to cascade aligned project objectives to individuals working in integrated teams. "
        "Including how an individual’s performance is reviewed and agreed within the integrated team – and then how "
        "performance is fed back to and managed by partner organisations.",
        "A supply chain strategy has been developed as part of the overall implementation plan, ensuring the "
        "benefits of collaboration, integration and early partner involvement apply to the extended supply chain.",
        "Integration of the supply chain includes supply chain employees being considered within the ‘best for "
        "project’ approach to management roles.",
        "Alongside the development of integrated teams there are clear connection points with the partner home "
        "organisations, through: partner communication and engagement with their alliance employees; capability "
        "networks mapped between the alliance and the home organisations.",
        "An improvement programme has been collectively developed in advance of the transition; defining the key "
        "change initiatives that will deliver the required performance improvement.",
        "The improvement programme includes initiatives that will provide teams with a collaborative approach to "
        "problem solving or continuous improvement. This could include techniques such as collaborative planning.",
    )),
    ("delivering", "leadership", "4.3", (
        "The alliance leadership team have been given collective ownership of business outcomes, providing a clear "
        "set of high level success measures for the alliance.",
        "Collective decision making responsibility has been established in setting up the leadership groups for the "
        "alliance; typically an alliance Board and an Alliance Management Team.",
        "Clear terms of reference have been established for all collaborative leadership groups, demonstrating to "
        "the Alliance organisation that collaborative decision making is in place.",
        "Partners have given commitments on the time and duration of the selected management groups, ensuring "
        "leadership continuity during the first phase of the alliance.",
        "The leadership team share a clear and common articulation of the look and feel of the alliance and how it "
        "will operate.",
        "An internal communication plan has been set up by the leadership team, to identify and ‘celebrate’ early "
        "examples of collaboration, as an enabler to the required change.",
        "The alliance is supported by a visible drive for change from both the client and partner organisations.",
    )),
    ("delivering", "commercial", "4.4", (
        "An effective early earning process provides a shared approach to early identification of performance "
        "issues and a collective approach to mitigation.",
        "Teams are able to follow a clear, single, integrated governance route for projects, with clear approval "
        "stages for partners, the alliance and the owner/client.",
        "Projects utilise a common risk management process that provides integrated delivery teams with a single "
        "approach to risk identification, valuation and mitigation.",
        "Clear risk definitions are agreed and in place, including the difference between business and project "
        "risk.",
        "Project estimating and cost forecasting processes provide a common view of the current value of risk.",
        "The risk management process includes a common, and regularly updated risk mitigation plan, with risk "
        "ownership allocated to the appropriate part of the integrated team.",
        "Joint delivery teams are supported by a clear definition of costs that won’t be admissible under the "
        "contract. In an alliance contract this is likely to be limited to professional incompetence, repeated "
        "rework or to costs submitted outside project closure.",
        "The alliance leadership team (or Board) has taken responsibility for reviewing the behaviours created by "
        "the commercial model and are able to promote any required changes accordingly.",
        "Risk and reward mechanisms have been established and are supported by clear and visible processes.",
        "A joint partner commercial group or forum is in place and is focused on maintaining consistent application "
        "of the commercial model and alignment with partner home organisations.",
        "The commercial model is understood by all delivery teams, who have a clear understanding of the "
        "performance required to deliver commercial targets.",
        "The process for setting commercial thresholds and target costs is clear and visible to all of the alliance "
        "teams.",
        "A common estimating process has been established, which ensures respective partner costs can be integrated "
        "into a common project cost breakdown. This process delivers a single integrated project estimate - not an "
        "overall estimate arrived at by aggregating separate partner elements.",
        "Responsibility for integration of the extended supply chain has been defined within the management team.",
        "Where cost baselines are sufficiently understood the commercial strategy for the extended supply chain is "
        "based on the same principles as the alliance commercial model (incentivised and / or gain share "
        "arrangements).",
        "A consistent supply chain engagement process has been established; ensuring that the supply chain sees a "
        "consistent and equitable approach across all aspects of procurement.",
        "There is a clear process for providing delivery teams with visibility of work that supports effective "
        "planning. Visibility is provided prior to projects being passed to the alliance, not simply as part of the "
        "delivery process.",
        "Extended supply chain partners have been engaged at an early stage to harness their capability and secure "
        "their input into the programme and project delivery strategy.",
    )),
    ("sustaining", "behaviour", "5.1", (
        "Best practice examples of effective collaboration are identified and showcased to the rest of the "
        "alliance organisation and celebrated.",
        "An agreed assurance framework is in place, providing all alliance members with visible demonstration of "
        "equitable commercial treatment across all partners. Visible assurance is an important process in "
        "maintaining trust.",
        "Relationships at senior level (Alliance Board or leadership team) are open and challenging, setting the "
        "tone for the culture within the organisation.",
        "The advantages of a longer term relationship have been reflected in the organisation and people strategy "
        "for the alliance, enabling a longer term view of resource and skill development.",
        "Enabling stakeholder relationships have been identified and are owned by appropriate alliance members - "
        "effective relationship management being an important part of alliancing.",
        "The co-located work environment enables integration and collaboration, including: effective co-location; "
        "shared communication; an alliance brand or identity.",
        "The ‘best for the task’ selection process remains in place through the operating phase of the alliance, "
        "to select the right individuals for integrated teams.",
        "The induction process remains in place to integrate new starters through the lifetime of the alliance.",
        "Alliance employees identify with the brand and identity of the alliance.",
    )),
    ("sustaining", "integration", "5.2", (
        "The positive dynamics of a collaborative environment have been created, including: an open and visible "
        "view of every aspect of performance; on-going exchange of best practice between teams; constructive peer "
        "pressure related to partners dependency on each other’s performance; a drive for on-going improvement.",
        "A process is in place to identify and deal with any individual partner issues through an on-going client / "
        "partner review process or through a specific ‘partner’ forum. This will form part of an ongoing "
        "development plan for each alliance member.",
        "Shared business systems provide a single and visible view of alliance performance.",
        "Performance management processes allow the alliance objectives to be set and reviewed within the "
        "integrated alliance teams - and fed back into partner reward and development processes",
        "Personal development plans, undertaken within the appropriate employing partner, utilise feedback from "
        "the alliance integrated teams on individual performance and progress.",
    )),
    ("sustaining", "leadership", "5.3", (
        "Accountability for overall alliance performance clearly sits with collective alliance management teams.",
        "The alliance leadership team is visible and play a leading role in building relationships inside and "
        "around the alliance.",
        "Communication processes ensure messages on priorities and progress are consistent across alliance teams "
        "and with partner home organisations.",
        "Leadership development is in place to support all key management roles, with a particular emphasis on "
        "leadership in a collaborative environment.",
        "Climate surveys are in place to provide feedback to the alliance leadership team on overall progress in "
        "creating the right environment for an alliance.",
    )),
    ("sustaining", "commercial", "5.4", (
        "An effective early earning process provides a shared approach to early identification of project "
        "exceptions and mitigation.",
        "The leadership team continue to review the effectiveness of the commercial model in generating the "
        "required behaviours - and take responsibility for evolving the commercial model accordingly.",
        "A single view of performance spans all alliance teams and all partner organisations. The reports used by "
        "partner organisations are aligned with and based on the same common view of performance.",
        "The performance structure provides an open view of all aspects of performance and of current best practice "
        "within the alliance.",
    )),
)


def _outcomes() -> tuple[CodeOfPracticeOutcome, ...]:
    rows = []
    for phase, theme, section, texts in CODE_SECTIONS:
        for n, text in enumerate(texts, start=1):
            rows.append(CodeOfPracticeOutcome(code=f"{phase}-{theme}-{n:02d}", phase=phase, theme=theme,
                                              section=section, text=text, order=len(rows) + 1))
    return tuple(rows)


CODE_OF_PRACTICE: tuple[CodeOfPracticeOutcome, ...] = _outcomes()
