"""Whether a need is concrete (seed step 2: "know your ask"): a need is vague only when it names
no concrete object, no quantity, no date or time and no place ("help with our event"). One of
them is enough to know what is being agreed to: "Post our map-challenge guide in your March
member newsletter" names a guide, a newsletter and a month.
"""

from __future__ import annotations

import re
from functools import cache

from pitchgen import patterns

__all__ = ["what_it_lacks"]

# A quantity, a date or a place is looked for only in a need that names no object, which few
# do: the three are compiled then, not by every process that reads an ask.
_QUANTITY = (
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|dozen|single|half|both|pair|couple)\b"
)
_DATE = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|weekend|morning|afternoon|evening|tonight|tomorrow|"
    r"spring|summer|autumn|fall|winter|(?:by|before|until|on) (?:the )?\d)"
)
_PLACE = (
    r"\b(?:room|office|hall|venue|building|auditorium|studio|center|centre|campus|park|"
    r"library|church|school|gym|stage|booth|street|square|capitol|plaza)s?\b|"
    r"\b(?:at|in) (?:the )?[A-Z][\w-]+"
)
# Words that name no thing: filler, pronouns, generic verbs and the vague nouns of a vague ask.
_EMPTY = frozenset(
    """a an the and or but of to for with on in at by from about as into our your their its
    my his her us we you they them me i it this that these those some any all more most much
    many such so very really just also can could would will may might should please be is are
    was were been being have has had do does did get make take give help helping support
    supporting assist assistance join partner partnering work working collaborate
    collaboration involve involved involvement participate participation something anything
    everything stuff things thing way ways event events project projects effort efforts
    cause initiative initiatives campaign program programme activities activity word out
    spread what whatever however possible able love like hope want need needs like ideas
    input resources backing endorsement contribution contributions part together us how
    doing done let lend provide offer share""".split()  # noqa: SIM905 - a word list
)
_WORDS = patterns.compile(r"[^\W\d_][\w'-]*")


def _has_object(text: str) -> bool:
    # "We'd love your support": a contraction is its first word.
    return any(w.lower().split("'")[0] not in _EMPTY for w in _WORDS.findall(text))


@cache
def _concrete() -> tuple[re.Pattern[str], ...]:
    flags = re.IGNORECASE
    return (
        patterns.compile(_QUANTITY, flags),
        patterns.compile(_DATE, flags),
        patterns.compile(_PLACE),
    )


def what_it_lacks(text: str) -> list[str] | None:
    """None when `text` names a concrete object, a quantity, a date or a place; else the four
    things it lacks, for the warning."""
    if _has_object(text) or any(pattern.search(text) for pattern in _concrete()):
        return None
    return ["a concrete object", "a quantity", "a date", "a place"]
