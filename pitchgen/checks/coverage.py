"""Whether a draft covers an item of the ask (the need, a deliverable, a benefit) in substance,
whatever its wording: the item's figures (numbers, money, dates, times) are there in any form,
its distinctive terms (names, and the thing a number counts: "two *microphones*") are there in
any inflection, and most of its other words, or their common equivalents, stand together
within a few sentences of each other. Order, articles and phrasing are free.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import chain, repeat

from pitchgen.ask import ISO_4217, Ask
from pitchgen.ask.memo import per_ask
from pitchgen.ask.suspicious import suspicious_fields
from pitchgen.checks.facts import Fact, Money, MonthDay, parse_facts
from pitchgen.checks.figures import CURRENCY_WORDS, unit_numbers
from pitchgen.checks.grounding import ask_texts
from pitchgen.checks.lazy import lazy
from pitchgen.checks.wordstems import STEMS, sentence_words, stem, stems, words

__all__ = ["DraftTerms", "Item", "Verdict", "ask_items", "judge", "said_names", "sums_up"]

# How many sentences in a row may share an item between them ("We'd love your room, which
# seats 80. We'd need it from 7:30 to 1 pm.").
WINDOW = 3
_FIGURES = ("count", "money", "date", "time", "percent")


@dataclass(frozen=True)
class Item:
    label: str  # "the need", "deliverable 2", "benefit 1"
    text: str
    figures: tuple[Fact, ...]
    required: tuple[tuple[str, str], ...]  # (stem, the item's own word)
    meaning: tuple[tuple[str, str], ...]
    distinctive: frozenset[str]  # meaning stems no other part of the ask uses
    suspicious: str | None  # what it looks like, when it looks like markup or an instruction
    # Stems of the names every draft says anyway (the partner, the project, us): in a summary,
    # "week" of "Read Ohio Week" does not name "your logo files for the week's materials".
    names: frozenset[str] = frozenset()
    # Its meaning stems no other deliverable or benefit uses: a summary of an item without
    # figures says one of them ("your logo *files*"), where a word of the next item ("logo")
    # would not tell it apart.
    own: frozenset[str] = frozenset()

    @property
    def needed(self) -> int:
        """How many of its other words make "most of its meaning": more than half; half when
        its figures already pin it down ("slides by 26 February")."""
        n = len(self.meaning)
        if self.figures:
            return (n + 1) // 2
        return n if n <= 2 else n // 2 + 1

    @property
    def named(self) -> int:
        """How many of its other words name it in a summary: one beside its figures, which
        pin it down; else a third of them, and at least two where it has two ("logo files",
        not just "logo", which the next item may share)."""
        n = len(self.meaning)
        if self.figures:
            return min(1, n)
        return min(n, max(2, -(-n // 3)))


@dataclass(frozen=True)
class Verdict:
    item: Item
    found: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing


def _item(
    label: str,
    text: str,
    suspicious: str | None,
    elsewhere: set[str],
    names: frozenset[str],
    others: set[str],
) -> Item:
    facts, required, meaning = _parts(text)
    roots = frozenset(root for root, _ in meaning)
    return Item(
        label, text, facts, required, meaning, roots - elsewhere, suspicious, names, roots - others
    )


@lru_cache(maxsize=1024)
def _parts(text: str) -> tuple[tuple[Fact, ...], tuple, tuple]:
    """An item's figures, required words and other words, parsed once per process: one ask
    pitched to many partners repeats its need and benefits."""
    facts = tuple(f for f in parse_facts(text) if f.kind in _FIGURES)
    # The words of a figure ("USD", "April") are the figure's, checked as its value.
    prose = text
    for f in facts:
        if f.kind != "count":
            prose = prose[: f.span[0]] + " " * (f.span[1] - f.span[0]) + prose[f.span[1] :]
    required: dict[str, str] = {}
    for i, word in enumerate(words(prose)):
        # A capitalized word inside the item is a name ("Capitol Hill"): it must be there.
        if i and word[0].isupper() and (root := stem(word)):
            required.setdefault(root, word)
    for _, unit in unit_numbers(text):
        for part in unit.split("-"):
            if part in CURRENCY_WORDS or part.upper() in ISO_4217:
                continue
            if root := stem(part):
                required.setdefault(root, part)
    meaning: dict[str, str] = {}
    for word in words(prose):
        root = stem(word)
        if root and root not in required:
            meaning.setdefault(root, word)
    return facts, tuple(required.items()), tuple(meaning.items())


_memo: dict[tuple, tuple[Ask, tuple[list[Item], list[Item]]]] = {}


@per_ask  # the email's gist and the agenda's whole texts are judged against the same counts
def _stems_counted(ask: Ask) -> Counter[str]:
    """How many times each stem occurs across the ask's texts (once per text)."""
    return Counter(chain.from_iterable(map(stems, ask_texts(ask))))  # in C, no generator


def ask_items(ask: Ask, cut=None) -> tuple[list[Item], list[Item]]:
    """(the need and each deliverable, each benefit) of the ask, parsed once per ask; `cut`
    shortens each text first (an email judges a long item by its gist)."""
    key = (id(ask), cut)
    hit = _memo.get(key)
    if hit and hit[0] is ask:
        return hit[1]
    shorten = cut or (lambda text: text)
    odd = suspicious_fields(ask)
    names = frozenset(stems(said_names(ask)))

    def item(label: str, text: str, path: str, elsewhere: set[str], others: set[str]) -> Item:
        return _item(label, shorten(text), odd.get(path), elsewhere, names, others)

    need, benefits = _item_sources(ask)
    items = [item(*source) for source in need], [item(*source) for source in benefits]
    if len(_memo) >= 64:
        _memo.clear()
    _memo[key] = (ask, items)
    return items


_Source = tuple[str, str, str, set[str], set[str]]


@per_ask  # read by every cut of the items (an email's gists, an agenda's whole texts)
def _item_sources(ask: Ask) -> tuple[list[_Source], list[_Source]]:
    """(label, text, path, the stems the rest of the ask uses too, the stems of every other
    listed item) of the need and each deliverable, and of each benefit."""
    texts = ask_texts(ask)
    counted = _stems_counted(ask)
    used = set(counted)
    listed = [*ask.need.deliverables, *(b.description for b in ask.benefits)]
    # Each text's stems once: every item reads those of all the others.
    stems_of = {text: stems(text) for text in {ask.need.description, *listed}}

    def source(label: str, text: str, path: str) -> _Source:
        # A word the rest of the ask never uses is what sets this item apart from the others.
        times = texts.count(text)
        alone = {root for root in stems_of[text] if counted[root] <= times}
        return label, text, path, used - alone, _others(listed, text, stems_of.__getitem__)

    need = [source("the need", ask.need.description, "need.description")]
    need += [
        source(f"deliverable {i}", text, f"need.deliverables[{i - 1}]")
        for i, text in enumerate(ask.need.deliverables, 1)
    ]
    benefits = [
        source(f"benefit {i}", b.description, f"benefits[{i - 1}].description")
        for i, b in enumerate(ask.benefits, 1)
    ]
    return need, benefits


def said_names(ask: Ask) -> str:
    """The names every draft of `ask` says (the partner, the project, us), as the ask writes
    them."""
    return f"{ask.partner.organization}. {ask.project.name}. {ask.sender.organization}"


def _others(listed: list[str], text: str, stems_of: Callable[[str], set[str]] = stems) -> set[str]:
    """The stems of every listed item but `text` (`stems_of`: read for each, or already read)."""
    return set().union(*(stems_of(other) for other in listed if other != text))


class DraftTerms:
    """What a draft says, as the coverage test reads it: its stems sentence by sentence and
    its figures by value."""

    def __init__(self, text: str, spans: list[tuple[int, int]], facts: list[Fact]) -> None:
        # Each sentence's stems, a dict lookup a word (`STEMS`), each set made in C: a draft
        # has some forty sentences, and a step of Python for each costs more than its words.
        found = sentence_words(text, spans)
        self.sentences = list(map(set, map(map, repeat(STEMS.__getitem__), found)))
        self.all = set().union(*self.sentences) if self.sentences else set()
        self.numbers: set[Decimal] = set()
        self.money: set[Money] = set()
        self.days: set[MonthDay] = set()
        self.clock: set[int] = set()
        for f in facts:
            if f.kind in ("count", "percent"):
                self.numbers.add(f.value)
            elif f.kind == "money":
                self.money.add(f.value)
                self.numbers.add(f.value.amount)
            elif f.kind == "date":
                self.days.add(MonthDay(f.value.month, f.value.day))
            elif f.kind == "time":
                self.clock.add(f.value.minutes)

    def has_figure(self, fact: Fact) -> bool:
        value = fact.value
        if fact.kind == "money":
            return value in self.money or (
                value.currency == "USD" and any(m.amount == value.amount for m in self.money)
            )
        if fact.kind == "date":
            return MonthDay(value.month, value.day) in self.days
        if fact.kind == "time":
            return value.minutes in self.clock or (
                not value.exact and (value.minutes + 720) % 1440 in self.clock
            )
        return value in self.numbers

    @lazy
    def windows(self) -> list[set[str]]:
        """The stems of each run of WINDOW sentences (fewer when the draft is shorter)."""
        found = self.sentences
        if len(found) <= WINDOW:
            return [set().union(*found)]
        # Each window is its first sentence's set joined with the next ones, mapped in C.
        return list(map(set.union, *(found[i:] for i in range(WINDOW))))

    def best_window(self, roots: set[str]) -> set[str]:
        """The most of `roots` that stand within WINDOW sentences of each other (the first
        window with the most)."""
        best: set[str] = set()
        # No window holds more of them than the whole draft: once one holds that many, no
        # later one can hold more, and the rest need not be read.
        most = len(roots & self.all)
        if not most:
            return best
        for window in self.windows:
            here = roots & window
            if len(here) > len(best):
                best = here
                if len(best) == most:
                    break
        return best


def judge(item: Item, draft: DraftTerms, brief: bool = False) -> Verdict:
    """What of `item` the draft states, and what it leaves out (in the item's own words).
    `brief`: the item is one of a long list the draft sums up in a few words each ("a list of
    the 12 counties, a 30-minute call, your logo files"): its figures and names must be there,
    but of its other words only its key ones (`Item.named`)."""
    if item.suspicious:
        return Verdict(item, (f"counted as present: it looks like {item.suspicious}",), ())
    found, missing = [], []
    for f in item.figures:
        (found if draft.has_figure(f) else missing).append(f.text)
    # "two microphones" names its unit already: do not list "microphones" twice.
    for root, word in item.required:
        if root not in draft.all and not any(word in text for text in missing):
            missing.append(word)
        elif root in draft.all and not any(word in text for text in found):
            found.append(word)
    roots = {root for root, _ in item.meaning}
    together = draft.best_window(roots)
    found += [word for root, word in item.meaning if root in together]
    # Without figures of its own, an item is known by the words only it uses ("zoning data"):
    # the words it shares with the rest of the ask do not state it, unless more than three
    # quarters of all its words are there.
    said = item.distinctive & together
    vague = not item.figures and 2 * len(said) < len(item.distinctive)
    if vague and 4 * len(together) > 3 * len(roots):
        vague = False
    if brief:
        # Its key words, names aside, stand together, and one of them is its own where it has
        # no figures: a word of the next item, or of the greeting, does not name it.
        plain = roots - item.names
        least = min(item.named, len(plain))
        own = item.own if not item.figures else frozenset()
        vague = bool(plain) and not any(
            len(w & plain) >= least and (not own or w & own) for w in draft.windows
        )
    if len(together) < (item.named if brief else item.needed) or vague:
        missing += [word for root, word in item.meaning if root not in together]
    return Verdict(item, tuple(found), tuple(missing))


def sums_up(text: str, brief: str, named: str = "", listed: tuple[str, ...] = ()) -> bool:
    """Whether `brief` names the item `text` of the list `listed` (every deliverable and
    benefit) as a summary must (`judge`, brief), in a draft that names `named` elsewhere (the
    partner, the project): what a template checks a shortened item against before it writes
    it."""
    facts, required, meaning = _parts(text)
    roots = frozenset(root for root, _ in meaning)
    own = roots - _others(list(listed), text)
    item = Item(
        "item", text, facts, required, meaning, frozenset(), None, frozenset(stems(named)), own
    )
    draft = DraftTerms(brief, [(0, len(brief))], parse_facts(brief))
    draft.all |= item.names
    return judge(item, draft, brief=True).ok
