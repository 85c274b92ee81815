"""The `channel_fit` check: each channel's structure (a must: fields present, the call
script's answered questions and its negotiation exactly when money is negotiated, the agenda's
timeboxes adding up) and its lengths (advice: subject, body, voicemail)."""

from __future__ import annotations

from pitchgen.ask import Ask
from pitchgen.checks.draftview import Draft, Verdict, and_, count_words, verdict
from pitchgen.content.emailparts import letter_and_list
from pitchgen.content.models import CallScript, Content, Email, MeetingAgenda

__all__ = ["DEFAULT_MEETING_MINUTES", "channel_lengths", "channel_structure"]

SUBJECT_WORDS = (3, 9)
SUBJECT_CHARS = 60
BODY_WORDS = (75, 200)
VOICEMAIL_WORDS = 90
MIN_QUESTIONS = 3
DEFAULT_MEETING_MINUTES = 30


def _structure_problems(ask: Ask, content: Content) -> list[str]:
    # An empty negotiation is an absent one: whether it belongs is judged below, not here.
    problems = [
        f"the {name.replace('_', ' ')} is empty"
        for name, value in content
        if name != "negotiation" and isinstance(value, str) and not value.strip()
    ]
    if isinstance(content, CallScript):
        qas = content.anticipated_questions
        answered = sum(1 for q in qas if q.question.strip() and q.answer.strip())
        if answered < MIN_QUESTIONS:
            problems.append(f"has {answered} answered questions; it needs at least {MIN_QUESTIONS}")
        budget = ask.budget
        asks_money = budget is not None and budget.partner_contribution > 0
        needed = asks_money or (budget is not None and budget.negotiable)
        present = bool(content.negotiation and content.negotiation.strip())
        why = "the partner is asked for money" if asks_money else "the budget is negotiable"
        if needed and not present:
            problems.append(f"has no negotiation section, but {why}")
        if present and not needed:
            problems.append("has a negotiation section, but no money is asked of the partner"
                            " and the budget is not negotiable")  # fmt: skip
    if isinstance(content, MeetingAgenda):
        meeting = ask.meeting.duration_minutes if ask.meeting else DEFAULT_MEETING_MINUTES
        problems += [
            f"lists no {name.replace('_', ' ')}"
            for name in ("attendees", "items", "decisions_needed", "materials")
            if not getattr(content, name)
        ]
        for i, item in enumerate(content.items, 1):
            lacks = [w for w, v in (("topic", item.topic), ("owner", item.owner)) if not v.strip()]
            lacks += ["positive minutes"] if item.minutes <= 0 else []
            problems += [f"item {i} has no {and_(lacks)}"] if lacks else []
        total = sum(item.minutes for item in content.items)
        if content.items and total != meeting:
            problems.append(
                f"the agenda's items add up to {total} minutes, the meeting is {meeting}"
            )
        if content.duration_minutes != meeting:
            problems.append(f"the agenda says {content.duration_minutes} minutes, not {meeting}")
    return problems


def channel_structure(d: Draft) -> Verdict:
    content = d.content
    if isinstance(content, CallScript):
        n = len(content.anticipated_questions)
        negotiation = "with" if content.negotiation else "without"
        passed = f"every section present, {n} answered questions, {negotiation} negotiation"
    elif isinstance(content, MeetingAgenda):
        n, minutes = len(content.items), content.duration_minutes
        passed = f"{n} items adding up to {minutes} minutes, each with a topic and owner"
    else:
        passed = "subject and body present"
    return verdict(_structure_problems(d.ask, content), passed)


def channel_lengths(d: Draft) -> Verdict:
    content = d.content
    if isinstance(content, CallScript):
        words = count_words(content.voicemail)
        if words > VOICEMAIL_WORDS:
            return False, f"the voicemail has {words} words; keep it to {VOICEMAIL_WORDS}"
        return True, f"voicemail {words} words"
    if not isinstance(content, Email):
        return True, "agendas have no length limits"
    # Greeting to signature (rubric.md): a full list set apart after the signature is reference.
    letter, full_list = letter_and_list(content.body)
    words, chars, body = count_words(content.subject), len(content.subject), count_words(letter)
    problems = []
    if not SUBJECT_WORDS[0] <= words <= SUBJECT_WORDS[1]:
        problems.append(f"the subject has {words} words; aim for 3 to 9")
    if chars > SUBJECT_CHARS:
        problems.append(f"the subject is {chars} characters; keep it to {SUBJECT_CHARS}")
    if not BODY_WORDS[0] <= body <= BODY_WORDS[1]:
        where = " before the full list" if full_list else ""
        problems.append(f"the body has {body} words{where}; aim for 75 to 200")
    after = f" before the full list ({count_words(full_list)} words)" if full_list else ""
    return verdict(problems, f"subject {words} words, {chars} characters; body {body} words{after}")
