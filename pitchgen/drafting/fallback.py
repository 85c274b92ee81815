"""The deterministic template draft: the words live in `prompts/fallback/`, this module only
decides the structure (which questions, which agenda items, how many minutes each) and
formats the ask's own figures, so every number in a draft comes from the ask.

Each template is a list of `{% set %}` phrases, read off `template.make_module(context)`: the
shared phrases (`_common.j2`) once per ask, passed to each channel's template as `c`, and one
`{% set %}` per content field (per key where Python picks the keys: questions, agenda items).
"""

from __future__ import annotations

from functools import partial

from pitchgen.ask import Ask, Channel
from pitchgen.checks.grounding import answer_by
from pitchgen.content.formats import money, written_date, written_time
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

__all__ = ["render_content", "template_names", "template_version"]

_COMMON = "fallback/_common.j2"
_TEMPLATES = {
    Channel.email: "fallback/email.j2",
    Channel.call_script: "fallback/call_script.j2",
    Channel.meeting_agenda: "fallback/meeting_agenda.j2",
}
_DEFAULT_MEETING_MINUTES = 30

# Relative weight of each agenda item: the ask and their questions get the most time.
_AGENDA_WEIGHTS = (
    ("welcome", 1),
    ("project", 1),
    ("ask", 3),
    ("benefits", 2),
    ("plan", 2),
    ("budget", 2),
    ("questions", 3),
    ("next_steps", 1),
)
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
    template = text_env().get_template(_TEMPLATES[channel])
    module = template.make_module(_context(ask))
    return _BUILDERS[channel](ask, module)


# Asks are frozen, and drafting renders every channel of one ask in turn: the shared phrases
# are rendered once for them all. The memo holds the ask, so its id cannot be reused meanwhile.
_context_memo: dict[int, tuple[Ask, dict]] = {}


def _context(ask: Ask) -> dict:
    hit = _context_memo.get(id(ask))
    if hit and hit[0] is ask:
        return hit[1]
    currency = ask.budget.currency if ask.budget else "USD"
    # Never an answer on or after the day of something the partner takes part in.
    reply_by, reply_date = answer_by(ask)
    context = {
        "ask": ask,
        "tone": ask.tone.value,
        "reply_by": reply_by,
        "reply_date": reply_date,
        "times": [written_time(t) for t in ask.meeting.proposed_times] if ask.meeting else [],
        "negotiates": _negotiates(ask),
        "day": written_date,
        "money": partial(money, currency=currency),
        "end": _end,
    }
    context["c"] = text_env().get_template(_COMMON).make_module(context)
    if len(_context_memo) >= 16:
        _context_memo.clear()
    _context_memo[id(ask)] = (ask, context)
    return context


def _end(text: str) -> str:
    """Ask text as a sentence: a full stop is added only when it has no end mark of its own."""
    return text if text[-1:] in ".!?…。！？؟" else f"{text}."


def _negotiates(ask: Ask) -> bool:
    budget = ask.budget
    return budget is not None and (budget.partner_contribution > 0 or budget.negotiable)


def _field(value: object) -> str:
    return str(value).strip()


def _email(ask: Ask, module) -> Email:
    return Email(subject=_field(module.subject), body=_field(module.body))


def _call_script(ask: Ask, module) -> CallScript:
    topics = ["what", "gain", *(["cost"] if ask.budget else []), "when"]
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


def _meeting_agenda(ask: Ask, module) -> MeetingAgenda:
    duration = ask.meeting.duration_minutes if ask.meeting else _DEFAULT_MEETING_MINUTES
    weights = [(key, w) for key, w in _AGENDA_WEIGHTS if key != "budget" or ask.budget]
    minutes = _allocate(duration, [w for _, w in weights])
    materials = ["plan", "timeline", *(["budget"] if ask.budget else [])]
    decisions = ["ask", *(["contribution"] if _negotiates(ask) else []), "dates"]
    return MeetingAgenda(
        title=_field(module.title),
        duration_minutes=duration,
        attendees=[_field(module.attendee_sender), _field(module.attendee_partner)],
        objective=_field(module.objective),
        items=[
            AgendaItem(
                minutes=m,
                topic=_field(module.topic[key]),
                owner=_field(module.owner[key]),
                notes=_field(getattr(module, f"notes_{key}")),
            )
            for (key, _), m in zip(weights, minutes, strict=True)
        ],
        decisions_needed=[_field(getattr(module, f"decision_{key}")) for key in decisions],
        materials=[_field(getattr(module, f"material_{key}")) for key in materials],
        next_steps=[
            NextStep(
                action=_field(getattr(module, f"step_{key}")),
                owner=_field(module.owner[key]),
                date=day,
            )
            for key, day in (("reply", ask.reply_date), ("confirm", ask.reply_date))
        ],
    )


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
