"""The deterministic template draft: the words live in `prompts/fallback/`, this module only
decides the structure (which questions, which agenda items, how many minutes each) and
formats the ask's own figures, so every number in a draft comes from the ask.

Each template is a list of `{% set %}` phrases, read off `template.make_module(context)`: the
shared phrases (`_common.j2`) once per ask, passed to each channel's template as `c`, and one
`{% set %}` per content field (per key where Python picks the keys: questions, agenda items).
"""

from __future__ import annotations

from functools import partial

from pitchgen.ask import Ask, Channel, NeedType
from pitchgen.content.emailparts import letter_and_list
from pitchgen.content.formats import gist, written_date
from pitchgen.content.models import (
    QA,
    AgendaItem,
    CallScript,
    Content,
    Email,
    MeetingAgenda,
    NextStep,
)
from pitchgen.content.templates import template_hash, text_env
from pitchgen.drafting.callcard import BRIEF_WORDS, PITCH_WORDS, spoken
from pitchgen.drafting.emailplan import (
    EMAIL_CUTS,
    EMAIL_MAX_WORDS,
    as_need_modes,
    email_context,
    our,
    where,
)
from pitchgen.drafting.nextsteps import next_steps
from pitchgen.drafting.outline import EMAIL_ITEMS, Outline, amount, outline, with_year
from pitchgen.drafting.person import third_person
from pitchgen.drafting.phrasing import (
    as_offer,
    bare,
    costed,
    lower_first,
    possessive,
    sentence,
    series,
    split_ours,
    the,
)

__all__ = ["render_content", "template_names", "template_version"]

_COMMON = "fallback/_common.j2"
_TEMPLATES = {
    Channel.email: "fallback/email.j2",
    Channel.call_script: "fallback/call_script.j2",
    Channel.meeting_agenda: "fallback/meeting_agenda.j2",
}
_DEFAULT_MEETING_MINUTES = 30

# Relative weight of each agenda item, in order: the ask with what they gain in return (their
# gain said before they are asked what they can take on) and their questions get the most time.
_AGENDA_WEIGHTS = (
    ("priorities", 2),
    ("ask", 5),
    ("capacity", 3),
    ("terms", 2),
    ("questions", 2),
    ("next_steps", 2),
)
# Who owns each item: the partner what is theirs to say, we what is ours, both what is agreed
# (the terms and dates, the next steps); the owners alternate. No item reads the timeline
# aloud: its dates are a note.
_AGENDA_OWNERS = {
    "priorities": "partner",
    "ask": "sender",
    "capacity": "partner",
    "terms": "both",
    "questions": "partner",
    "next_steps": "both",
}
MIN_QUESTIONS = 3
# Timeboxes in multiples of this many minutes when the meeting's length allows it.
_ROUND_MINUTES = 5


def template_names(channel: Channel) -> tuple[str, ...]:
    """The template files a channel's draft is rendered from (for `template_hash`)."""
    return (_COMMON, _TEMPLATES[Channel(channel)])


def template_version(channel: Channel) -> str:
    """A hash of the templates a channel's template draft is written from. The draft contract
    has one field for "which version of our wording wrote this", `prompt_version`: a template
    draft carries this there, a model draft its prompt's version."""
    return template_hash(*template_names(channel))


def render_content(ask: Ask, channel: Channel) -> Content:
    """The template draft of `ask` for `channel`: same ask, byte-identical draft."""
    channel = Channel(channel)
    return _BUILDERS[channel](ask, _context(ask))


def _module(channel: Channel, context: dict):
    return text_env().get_template(_TEMPLATES[channel]).make_module(context)


# Asks are frozen, and drafting renders every channel of one ask in turn: the shared phrases
# are rendered once for them all. The memo holds the ask, so its id cannot be reused meanwhile.
_context_memo: dict[int, tuple[Ask, dict]] = {}


def _context(ask: Ask) -> dict:
    hit = _context_memo.get(id(ask))
    if hit and hit[0] is ask:
        return hit[1]
    plan = outline(ask)
    context = {
        "ask": ask,
        "o": plan,
        "tone": ask.tone.value,
        "negotiates": _negotiates(ask),
        "day": partial(written_date, locale=ask.locale_tag, year=with_year(ask)),
        "cash": partial(amount, ask),
        "lf": partial(lower_first, common=plan.vocabulary),
        "sen": sentence,
        "series": partial(series, common=plan.vocabulary),
        "bare": bare,
        "costed": costed,
        "possessive": possessive,
        "the": the,
        "split_ours": split_ours,
        "as_offer": as_offer,
        "share_said": _share_said(ask, plan),
        "our_project": our(plan.project),
        # An event others hold (a hearing): we prepare for it rather than work on it.
        "held_by_others": our(plan.project) == f"the {plan.project}",
        # Call script and agenda carry every text whole; only the email cuts (see _email).
        "g": lambda text, kind="item": text,
        "g_long": lambda text: text,
    }
    context["c"] = text_env().get_template(_COMMON).make_module(context)
    if len(_context_memo) >= 16:
        _context_memo.clear()
    _context_memo[id(ask)] = (ask, context)
    return context


def _share_said(ask: Ask, plan: Outline) -> bool:
    """Whether the need or a deliverable already states the money asked of the partner."""
    if not ask.budget or ask.budget.partner_contribution <= 0:
        return False
    figure = amount(ask, ask.budget.partner_contribution)
    return any(figure in text for text in [plan.need or "", *plan.deliverables])


def _fixed_share(ask: Ask) -> bool:
    budget = ask.budget
    return budget is not None and budget.partner_contribution > 0 and not budget.negotiable


def _negotiates(ask: Ask) -> bool:
    budget = ask.budget
    return budget is not None and (budget.partner_contribution > 0 or budget.negotiable)


def _field(value: object) -> str:
    # A text cut to its gist ends in "…", which is its full stop too.
    return str(value).strip().replace("….", "…")


def _email(ask: Ask, context: dict) -> Email:
    """The email at the first level of cutting whose letter fits the advised length. Past three
    items, the core ask stands for the need and the full list below the signature has every
    item; where that leaves the need unstated (an ask whose need its items do not sum up), the
    need is said too, and the letter cut to fit with it. Items that restate the need are said
    once, as the request, where the letter then still states the need as the checks read it;
    else the need, then what it would mean."""
    email = _fitted(ask, context, {})
    if _summed_up(ask) and not _covers(ask, email):
        email = _fitted(ask, context, {"need": True})
    modes = as_need_modes(context["o"])
    for mode in [*modes[1:], None] if modes else []:
        if _covers(ask, email):
            break
        email = _fitted(ask, context, {"as_need": mode})
    if (_summed_up(ask) or modes) and not _covers(ask, email):
        # No letter within the advised length states the whole ask (a need of one long run-on
        # clause, which no gist shortens): the tightest that does, as must checks come first.
        whole = {"need": True, "need_whole": True}
        covering = (_email_at(ask, context, {**cut, **whole}) for cut in EMAIL_CUTS[::-1])
        email = next((e for e in covering if _covers(ask, e)), email)
    return email


def _fitted(ask: Ask, context: dict, said: dict) -> Email:
    for limits in EMAIL_CUTS:
        email = _email_at(ask, context, {**limits, **said})
        # Greeting to signature, as the rubric counts it: the full list below is apart.
        if len(letter_and_list(email.body)[0].split()) <= EMAIL_MAX_WORDS:
            break
    return email


def _email_at(ask: Ask, context: dict, limits: dict) -> Email:
    module = _module(Channel.email, {**context, **email_context(ask, context, limits)})
    return Email(subject=_field(module.subject), body=_field(module.body))


def _summed_up(ask: Ask) -> bool:
    return len(ask.need.deliverables) > EMAIL_ITEMS or len(ask.benefits) > EMAIL_ITEMS


def _covers(ask: Ask, content: Email | CallScript) -> bool:
    from pitchgen.checks.rubric import run_checks
    from pitchgen.content.render import to_text

    wanted = {"states_ask", "partner_benefit"}
    text = to_text(content, ask.locale_tag)
    return all(r.passed for r in run_checks(ask, content, text) if r.id in wanted)


# Asks for money are one thing: their deliverables (an agreement, a payment) are not offered
# one without the other.
_WHOLE = (NeedType.sponsorship, NeedType.funding)
# Questions always ready, used when the ask gives fewer answers than the card needs.
_FILLERS = ("who", "next")


def _call_script(ask: Ask, context: dict) -> CallScript:
    """The card. Items that restate the need are said once, as the request, where the card
    then still states the need as the checks read it; else the need, then the items."""
    o: Outline = context["o"]
    extra = spoken(ask, o)
    extra["splittable"] = len(o.deliverables) > 1 and ask.need.type not in _WHOLE
    extra["meet_where"] = where(o.location, o.org_name) if o.location else None
    card = _card(ask, {**context, **extra})
    if extra["items_as_need"] and not _covers(ask, card):
        card = _card(ask, {**context, **extra, "items_as_need": False})
    return card


def _card(ask: Ask, context: dict) -> CallScript:
    module = _module(Channel.call_script, context)
    topics = [
        *(["cost"] if ask.budget else []),
        *(["part"] if context["splittable"] else []),
        *(["more"] if context["more_deliverables"] or context["more_benefits"] else []),
        "when",
    ]
    topics += list(_FILLERS[: max(0, MIN_QUESTIONS - len(topics))])
    return CallScript(
        opener=_field(module.opener),
        purpose=_field(module.purpose),
        value_for_partner=_field(module.value_for_partner),
        the_ask=_field(module.the_ask),
        plan=_field(module.plan),
        anticipated_questions=[
            QA(
                question=_field(getattr(module, f"question_{t}")),
                answer=_field(getattr(module, f"answer_{t}")),
            )
            for t in topics
        ],
        negotiation=_field(module.negotiation) if _negotiates(ask) else None,
        close=_field(module.close),
        voicemail=_field(module.voicemail),
    )


def _meeting_agenda(ask: Ask, context: dict) -> MeetingAgenda:
    o: Outline = context["o"]
    when = f"{o.slots[0].day}, {o.slots[0].time} {o.slots[0].zone}" if o.slots else None
    brief = {"when": when, "brief": lambda text: gist(text, BRIEF_WORDS),
             "pitch": lambda text: gist(text, PITCH_WORDS),
             # A shared document names the partner in the third person: "its members".
             "theirs": partial(third_person, org=_named(o))}  # fmt: skip
    brief["whole"] = ask.need.type in _WHOLE or len(o.deliverables) < 2
    # Materials name the deliverables as the items do, in the same person.
    brief["their_deliverables"] = [brief["theirs"](d) for d in o.deliverables]
    module = _module(Channel.meeting_agenda, {**context, **brief})
    duration = ask.meeting.duration_minutes if ask.meeting else _DEFAULT_MEETING_MINUTES
    weights = list(_AGENDA_WEIGHTS)
    minutes = _allocate(duration, [w for _, w in weights])
    partner, sender = _field(module.partner_side), _field(module.me)
    who = {"partner": partner, "sender": sender, "both": f"{sender} and {partner}"}
    owners = [who[_AGENDA_OWNERS[key]] for key, _ in weights]
    owners_of = {"partner": partner, "sender": sender, "partner_org": o.short}
    materials = ["outline", "items", "timeline", *(["budget"] if ask.budget else [])]
    decisions = ["ask", *(["contribution"] if _negotiates(ask) else []), "owners"]
    if _fixed_share(ask):
        # "Whether they can commit £6,000" is whether they take this on: one decision.
        decisions.remove("ask")
    return MeetingAgenda(
        title=_field(module.title),
        duration_minutes=duration,
        attendees=[_field(module.attendee_partner), _field(module.attendee_sender)],
        objective=_field(module.objective),
        items=[
            AgendaItem(
                minutes=m,
                topic=_field(module.topic[key]),
                owner=owner,
                notes=_field(getattr(module, f"notes_{key}")),
            )
            for (key, _), m, owner in zip(weights, minutes, owners, strict=True)
        ],
        decisions_needed=[_field(getattr(module, f"decision_{key}")) for key in decisions],
        materials=[_field(getattr(module, f"material_{key}")) for key in materials],
        next_steps=[
            NextStep(
                action=action,
                owner=owners_of.get(who, f"{sender} and {partner}"),
                date=day,
                due=due,
            )
            for action, who, day, due in next_steps(ask, o)
        ],
    )


def _named(o: Outline) -> str | None:
    """The partner's own name for "your council": none where the ask's is written around."""
    return o.org if o.org_name != "your organization" else None


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` minutes over items by weight: every item gets at least one unit, the
    parts add up exactly to `total`, and ties go to the earlier item (largest remainder)."""
    unit = _ROUND_MINUTES if total % _ROUND_MINUTES == 0 else 1
    if total // unit < len(weights):
        unit = 1
    spare = total // unit - len(weights)
    # Each item's exact share is spare * w / sum(weights): whole units, then the remainder.
    shares = [divmod(spare * w, sum(weights)) for w in weights]
    extra = [whole for whole, _ in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for i in by_remainder[: spare - sum(extra)]:
        extra[i] += 1
    return [(1 + e) * unit for e in extra]


_BUILDERS = {
    Channel.email: _email,
    Channel.call_script: _call_script,
    Channel.meeting_agenda: _meeting_agenda,
}
