"""Ask text placed in a sentence shaped for what it is: the template drafts never write
"label: pasted text". A need may be written as a noun phrase ("A one-hour review of our
brief"), an imperative ("Sponsor the closing reception") or a full sentence ("We need two
volunteers."); each reads right only in its own frame, with its capital and final stop handled.

Every function here is pure and reads only its arguments: the words stay the ask's own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from pitchgen import patterns

__all__ = [
    "Shape",
    "as_offer",
    "bare",
    "costed",
    "greeting_name",
    "is_no_contact",
    "lower_case_words",
    "lower_first",
    "needs_pronunciation",
    "possessive",
    "relationship_clause",
    "sentence",
    "series",
    "shape",
    "split_ours",
    "the",
]

Shape = Literal["noun", "imperative", "sentence"]

# Verbs a request starts with when it is written as an instruction ("Host our panel").
IMPERATIVES = frozenset(
    """add advertise advise allow amplify announce answer arrange attend be book bring check
    circulate co-host co-sign co-sponsor cohost commit confirm connect contribute cover
    design distribute donate draft email endorse feature film fund give help hold host
    identify include introduce invite join lead lend let link list loan make match mention
    mobilise mobilize moderate nominate offer open pay post present print promote provide
    publish put recommend record recruit reserve review run send serve share sign speak
    sponsor staff submit supply support tell testify translate tweet underwrite use
    volunteer write
    """.split()  # noqa: SIM905 - a word list, easier to read as one
)
# Words that open a full sentence: a subject ("We need…", "Your team would…").
SUBJECTS = frozenset(
    """i we you they he she it this there these those
    """.split()  # noqa: SIM905 - a word list, easier to read as one
)
# Words that may be lower-cased when a noun phrase or instruction moves inside a sentence
# ("A one-hour review" → "a one-hour review"); any other capital (a name) is kept.
_COMMON_STARTS = (
    frozenset(
        """a an the one two three four five six seven eight nine ten some any our your their its
    his her use access space time help support introductions introduction volunteers
    sponsorship funding expertise review recognition acknowledgement acknowledgment logo
    name mention room rooms seats table tables slot speaking co-sponsorship reciprocal
    payment media coverage promotion final first last next full half half-day one-day
    two-day whole annual opening welcome summit comments draft brief report event launch
    workshop reception dinner meeting panel press publication due deadline date day program
    programme venue hall tickets follow-up planning call webinar kickoff kick-off rehearsal
    setup set-up start end room-booking sign-off signoff materials copy guide list
    newsletter post posts article op-ed letter quote quotes remarks remark keynote session
    sessions training briefing testimony hearing campaign canvass rally second third fourth
    fifth town city county neighborhood neighbourhood community service services free joint
    exclusive priority early weekly monthly daily quarterly public private local national
    regional thank thanks credit grant data survey photos photo
        """.split()  # noqa: SIM905
    )
    | IMPERATIVES
)
# Relationship text that says there is none: the drafts treat the partner as new.
_NO_CONTACT = patterns.compile(
    r"^\s*(?:none|n/?a|no(?:ne)?\s*(?:yet|so far)?|no (?:prior |previous |past )?"
    r"(?:contact|relationship|history|connection|ties)\b.*|(?:this is )?(?:a )?(?:first|cold)"
    r" (?:contact|outreach|approach)\b.*|(?:we )?(?:have )?never (?:worked|met|spoken)\b.*|"
    r"new (?:partner|contact)\b.*|unknown|cold)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# Past tense that opens a relationship written as a verb phrase ("Co-signed our letter").
_PAST = patterns.compile(
    r"^(?:[a-z-]+ed|spoke|wrote|led|ran|gave|sent|took|met|made|joined|hosted|came|sat|"
    r"brought|built|paid|held|won|taught|shared|lent|sold|bought|did|saw)$",
    re.IGNORECASE,
)
_TITLES = frozenset(
    """dr. dr prof. prof professor rev. rev ms. ms mr. mr mrs. mrs mx. mx sen. senator
    rep. judge hon.""".split()  # noqa: SIM905
)


def _first_word(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[0].strip("\"'“‘(").lower() if words else ""


@lru_cache(maxsize=2048)
def shape(text: str) -> Shape:
    """What `text` is written as: an instruction, a full sentence, or (else) a noun phrase."""
    first = _first_word(text)
    if first == "please":
        return "imperative"
    second = text.split()[1].lower() if len(text.split()) > 1 else ""
    if first in IMPERATIVES and second not in ("of", "and", "for", "from", "to"):
        # "Use of your room" names a thing; "Use your room" asks for one.
        return "imperative"
    if first in SUBJECTS:
        return "sentence"
    return "noun"


def bare(text: str) -> str:
    """`text` without a final full stop (kept: "?", "!" and an ellipsis)."""
    text = text.strip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("...") else text


_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905
)
_NOUNISH = patterns.compile(r"(?:ing|ed|tion|sion|ment|ness|ship|ity|ance|ence|ies|ers|als)s?$")


def lower_first(text: str, common: frozenset[str] = frozenset()) -> str:
    """A noun phrase or instruction moved inside a sentence: its first word lower-cased when it
    is a common word ("A review" → "a review"), never a name ("Main Street…", "Tom spoke").
    `common` holds words the ask itself writes in lower case, which are no names either."""
    text = bare(text)
    if text[:7].lower() == "please ":
        text = text[7:]
    words = text.split(maxsplit=2)
    word = words[0] if words else ""
    if not (word[:1].isupper() and (len(word) == 1 or word[1:].islower())):
        return text
    low = word.lower().rstrip(",;:")
    # "Small Exporters Day": a name of several capitalised words stays as it is.
    named = len(words) > 1 and words[1][:1].isupper()
    # "Childcare, interpretation and refreshments": the first item of a list in sentence case.
    listed = word.endswith(",") and len(words) > 1 and words[1][:1].islower()
    ordinary = low in common or "-" in low or _NOUNISH.search(low) or listed
    # "March 4, 2027" is a date whatever the ask writes in lower case elsewhere.
    dated = low in _MONTHS and len(words) > 1 and words[1][:1].isdigit()
    if not dated and (low in _COMMON_STARTS or (not named and ordinary)):
        return text[0].lower() + text[1:]
    return text


_WORD = patterns.compile(r"(?<![.!?]\s)(?<!^)\b([a-z][a-z-]+)\b")


def lower_case_words(texts: list[str]) -> frozenset[str]:
    """The words `texts` write in lower case: the ask's own ordinary words."""
    return frozenset(w for t in texts for w in _WORD.findall(t))


def sentence(text: str) -> str:
    """`text` as a sentence of its own: a capital first and an end mark."""
    text = text.strip()
    if not text:
        return text
    first = text[0].upper()
    # A letter whose capital is two ("ß" is "SS") stays as written: the draft must still say
    # the ask's own words, which is what the checks look for.
    text = (first if len(first) == 1 else text[0]) + text[1:]
    return text if text[-1] in '.!?…。！？؟"”)' else f"{text}."


_LINKS = frozenset("on at in for from by during".split())  # noqa: SIM905


def _shared_lead(items: list[str]) -> list[str]:
    """Items that open with the same words up to a preposition say them once: "six volunteers
    on Saturday, April 10, … and on Saturday, April 17, …", not "… and six volunteers on …"."""
    if len(items) < 2:
        return items
    split = [i.split() for i in items]
    k = 0
    while all(len(w) > k + 1 and w[k].lower() == split[0][k].lower() for w in split):
        k += 1
    lead = max((j for j in range(2, k + 1) if split[0][j - 1].lower() in _LINKS), default=0)
    if not lead:
        return items
    return [items[0], *(" ".join(w[lead - 1 :]) for w in split[1:])]


def series(items: list[str], common: frozenset[str] = frozenset()) -> str:
    """`a, b and c`; `a; b; and c` when an item has a comma of its own."""
    items = _shared_lead([lower_first(i, common) for i in items])
    if len(items) < 2:
        return "".join(items)
    joint = "; " if len(items) > 2 and any("," in i for i in items) else ", "
    # An item with an "and" of its own ("your logo and a welcome remark") takes a comma before
    # the last "and", so the reader can tell where one item ends.
    inner_and = any(" and " in i for i in items[:-1])
    if joint == "; ":
        last = "; and "
    elif (len(items) == 2 and "," in items[0]) or inner_and:
        last = ", and "
    else:
        last = " and "
    return joint.join(items[:-1]) + last + items[-1]


_MODALS = frozenset(
    [
        "will",
        "would",
        "can",
        "could",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "are",
        "have",
        "'ll",
        "'d",
    ]
)


def as_offer(text: str) -> str:
    """A benefit written as a present-tense promise ("We sponsor a table…") as an offer:
    "We would sponsor a table…". Any other sentence is kept as written."""
    words = text.split(maxsplit=2)
    plain_verb = (
        len(words) == 3
        and words[0] in ("We", "we")
        and words[1] not in _MODALS
        and words[1].isalpha()
        and words[1].islower()
        and not words[1].endswith("ed")
    )
    return f"{words[0]} would {words[1]} {words[2]}" if plain_verb else text


def possessive(name: str) -> str:
    """`Granite State Taxpayers'`, `Main Street Business Alliance's`."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def is_no_contact(relationship: str | None) -> bool:
    """Whether the ask's `relationship` says there is none ("No prior contact")."""
    return relationship is None or bool(_NO_CONTACT.match(relationship))


def relationship_clause(relationship: str, contact: str | None) -> str | None:
    """The history as a clause that completes "…when you" ("co-signed our letter in May"),
    or None when it is not written that way (then it is set apart as a sentence)."""
    text = bare(relationship)
    if contact:
        # "Tom spoke at our forum", said to Tom, becomes "spoke at our forum".
        for name in (contact, contact.split()[0]):
            if text.startswith(name + " ") and _PAST.match(text[len(name) + 1 :].split()[0]):
                return text[len(name) + 1 :]
    first = text.split(maxsplit=1)[0] if text.split() else ""
    if _PAST.match(first):
        return text[0].lower() + text[1:] if first[1:2].islower() else text
    return None


def _latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def needs_pronunciation(name: str | None) -> bool:
    """A name a caller may not be able to read aloud: letters outside the Latin script."""
    return bool(name) and not _latin(name)


def _han(text: str) -> bool:
    """Written in Chinese or Japanese characters, where a title follows the name unspaced."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA",
               "KATAKANA")) for ch in text)  # fmt: skip


# Roles that stand as a title before a name in English ("Director مريم الحسيني"), and how
# many characters a Chinese or Japanese role may have to follow the name as one ("王小明主任").
TITLE_ROLES = frozenset(
    """director president chair chairman chairwoman chairperson principal dean professor mayor
    councillor councilor senator pastor reverend rabbi imam chief superintendent commissioner
    secretary treasurer coordinator manager""".split()  # noqa: SIM905
)
HAN_TITLE_CHARS = 3


def greeting_name(
    contact: str, tone: str, greet_as: str | None = None, role: str | None = None
) -> str:
    """How a greeting addresses the contact: `greet_as` when the ask gives it; a title and last
    name as written ("Dr. Weiss"); else the first name, in every tone: "Dear Priya Raman" reads
    as a mail merge, and "Dear Ms. Raman" would guess an honorific the ask does not give (the
    tone sets "Dear" or "Hi"). A name in another script is used whole, with the contact's role
    as its title where it reads as one ("Director مريم الحسيني", "王小明主任": a first name or a
    guessed honorific would be worse); a name of one word is used whole."""
    if greet_as:
        return greet_as
    words = contact.split()
    if not _latin(contact):
        if role and _han(contact) and _han(role) and len(role) <= HAN_TITLE_CHARS:
            return f"{contact}{role}"
        if role and role.strip().lower() in TITLE_ROLES:
            return f"{role.strip().capitalize()} {contact}"
        return contact
    if len(words) < 2:
        return contact
    if words[0].lower() in _TITLES and len(words) >= 3:
        return f"{words[0]} {words[-1]}"
    return words[0]


# Words that make a milestone a step rather than an event: "draft sent", "comments back",
# "sign-up closes", "payment due".
_STEP_WORDS = frozenset(
    """back due begins begin ends end starts start opens closes close ready done out made sent
    shared signed held given paid set agreed confirmed published submitted returned""".split()  # noqa: SIM905
)
_DETERMINERS = frozenset("the a an our your their its this these his her".split())  # noqa: SIM905


# A name of an event that still takes "the": "the Summer Sound Festival", not "Small Exporters Day".
_EVENT_HEADS = frozenset(
    """festival summit conference fair forum gala dinner reception hearing launch workshop
    breakfast lunch rally march parade concert awards""".split()  # noqa: SIM905
)


def is_event(text: str) -> bool:
    """Whether a milestone names an event ("closing reception", "Small Exporters Day"), which
    can be said to be *on* a day, rather than a step ("draft sent to reviewer")."""
    for word in re.findall(r"[\w'-]+", text.lower()):
        if word in _STEP_WORDS or (len(word) > 4 and word.endswith("ed")):
            return False
    return bool(text.strip())


def the(text: str) -> str:
    """An event named inside a sentence: `the closing reception`; a name (`Small Exporters
    Day`) or a phrase with its own determiner as it is."""
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    last = text.split()[-1].lower() if text.split() else ""
    if first in _DETERMINERS or (not text[:1].islower() and last not in _EVENT_HEADS):
        return text
    return f"the {text}"


def split_ours(items: list[str]) -> tuple[list[str], list[str]]:
    """Benefits the partner has ("your logo on…") and what we would do for them, named by what
    is ours ("Our volunteers at your lunch"): the first read "you'd have …", the second "we'd
    offer …"."""
    ours = [i for i in items if _first_word(i) == "our"]
    return [i for i in items if i not in ours], ours


_COSTS = patterns.compile(
    r"^(?P<thing>.+?)\s+(?:costs?|will cost|would cost)\s+(?P<figure>\S.*?)\.?$"
)


def costed(text: str | None, figure: str) -> str | None:
    """The thing a budget note prices at `figure` ("the reception" of "The reception costs
    $4,000"), so the share asked and what it pays for are said in one sentence; else None."""
    m = _COSTS.match((text or "").strip())
    if not m or m["figure"].strip() != figure:
        return None
    thing = m["thing"]
    return thing[:1].lower() + thing[1:] if not thing.split()[0].isupper() else thing
