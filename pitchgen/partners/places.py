"""Where an ask is, read from its own words, and whether a partner's region reaches it.

An ask has no region field: its place is in its text ("your Capitol Hill conference room", "our
office, Concord", "Leeds"). A small gazetteer, held as data, names each region by its name,
capital, largest cities and common nicknames; the US states are grouped into the Census
Bureau's nine divisions, which stand for "a neighbouring place". Names are matched whole and
case-sensitively, so "concord" in a sentence is not the town, and a bare "Washington" (state or
city?) names the state only when "DC" does not follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pitchgen.ask import Ask

__all__ = ["Reach", "ask_places", "groups_in", "places_in", "reach"]

# code: names, "|"-separated. Capitals, the largest cities, nicknames.
_US = {
    "AL": "Alabama|Montgomery|Birmingham",
    "AK": "Alaska|Juneau|Anchorage",
    "AZ": "Arizona|Phoenix|Tucson",
    "AR": "Arkansas|Little Rock",
    "CA": "California|Sacramento|Los Angeles|San Francisco|San Diego|Bay Area",
    "CO": "Colorado|Denver",
    "CT": "Connecticut|Hartford|New Haven",
    "DE": "Delaware|Dover|Wilmington",
    "DC": "Washington DC|Washington, DC|Washington, D.C.|District of Columbia|D.C.|DC|"
    "Capitol Hill|K Street|Union Station|Pennsylvania Avenue",
    "FL": "Florida|Tallahassee|Miami|Tampa|Orlando|Jacksonville",
    "GA": "Georgia|Atlanta",
    "HI": "Hawaii|Honolulu",
    "ID": "Idaho|Boise",
    "IL": "Illinois|Springfield|Chicago",
    "IN": "Indiana|Indianapolis",
    "IA": "Iowa|Des Moines",
    "KS": "Kansas|Topeka|Wichita",
    "KY": "Kentucky|Frankfort|Louisville",
    "LA": "Louisiana|Baton Rouge|New Orleans",
    "ME": "Maine|Augusta|Portland, Maine",
    "MD": "Maryland|Annapolis|Baltimore",
    "MA": "Massachusetts|Boston|Worcester",
    "MI": "Michigan|Lansing|Detroit",
    "MN": "Minnesota|Saint Paul|St. Paul|Minneapolis",
    "MS": "Mississippi|Jackson",
    "MO": "Missouri|Jefferson City|Kansas City|St. Louis",
    "MT": "Montana|Helena",
    "NE": "Nebraska|Lincoln|Omaha",
    "NV": "Nevada|Carson City|Las Vegas|Reno",
    "NH": "New Hampshire|Concord|Manchester|Nashua|Granite State",
    "NJ": "New Jersey|Trenton|Newark",
    "NM": "New Mexico|Santa Fe|Albuquerque",
    "NY": "New York|Albany|New York City|Brooklyn|Manhattan",
    "NC": "North Carolina|Raleigh|Charlotte",
    "ND": "North Dakota|Bismarck|Fargo",
    "OH": "Ohio|Columbus|Cleveland|Cincinnati",
    "OK": "Oklahoma|Oklahoma City|Tulsa",
    "OR": "Oregon|Salem|Portland",
    "PA": "Pennsylvania|Harrisburg|Philadelphia|Pittsburgh",
    "RI": "Rhode Island|Providence",
    "SC": "South Carolina|Columbia|Charleston",
    "SD": "South Dakota|Pierre|Sioux Falls",
    "TN": "Tennessee|Nashville|Memphis",
    "TX": "Texas|Austin|Houston|Dallas|San Antonio|Lone Star State",
    "UT": "Utah|Salt Lake City",
    "VT": "Vermont|Montpelier|Burlington",
    "VA": "Virginia|Richmond|Virginia Beach|Norfolk|Arlington",
    "WA": "Washington State|Washington|Olympia|Seattle|Spokane|Tacoma",
    "WV": "West Virginia|Charleston",
    "WI": "Wisconsin|Madison|Milwaukee",
    "WY": "Wyoming|Cheyenne",
}
_COUNTRIES = {
    "UK": "United Kingdom|UK|Britain|England|Scotland|Wales|Northern Ireland|London|"
    "Leeds|Manchester|Birmingham|Glasgow|Edinburgh|Bristol|Liverpool|Cardiff",
    "IE": "Ireland|Dublin|Cork",
    "ES": "Spain|España|Madrid|Barcelona|Valencia|Seville|Sevilla",
    "DE": "Germany|Deutschland|Berlin|Munich|München|Hamburg|Frankfurt|Cologne|Köln",
    "FR": "France|Paris|Lyon|Marseille",
    "IT": "Italy|Rome|Milan",
    "NL": "Netherlands|Amsterdam|Rotterdam|The Hague",
    "BE": "Belgium|Brussels",
    "JO": "Jordan|Amman",
    "CA": "Canada|Ottawa|Toronto|Montreal|Vancouver",
    "MX": "Mexico|Mexico City",
}
# The US Census Bureau's divisions: a partner in the same division is a neighbour.
_DIVISIONS = (
    "CT ME MA NH RI VT",
    "NJ NY PA",
    "IL IN MI OH WI",
    "IA KS MN MO NE ND SD",
    "DE DC FL GA MD NC SC VA WV",
    "AL KY MS TN",
    "AR LA OK TX",
    "AZ CO ID MT NV NM UT WY",
    "AK CA HI OR WA",
)
# Names of several states at once, as a partner's focus may state its reach.
_GROUPS = {
    "New England": "CT ME MA NH RI VT",
    "Mid-Atlantic": "NJ NY PA DE MD DC",
    "Midwest": "IL IN MI OH WI IA KS MN MO NE ND SD",
    "Pacific Northwest": "WA OR ID",
    "Southwest": "AZ NM NV UT TX OK",
    "Gulf Coast": "TX LA MS AL FL",
}
# Several states share a city's name: only these name the state on their own.
_AMBIGUOUS = {"Portland", "Columbia", "Charleston", "Springfield", "Jackson"}


def _names() -> list[tuple[str, str]]:
    pairs = [(name, f"US-{code}") for code, names in _US.items() for name in _split(names)]
    pairs += [(name, code) for code, names in _COUNTRIES.items() for name in _split(names)]
    # Longest first: "Washington, DC" before "Washington", "New York City" before "New York".
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _split(names: str) -> list[str]:
    return [n for n in names.split("|") if n not in _AMBIGUOUS]


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = _names()
    table = {name: code for name, code in reversed(pairs)}
    alternatives = "|".join(re.escape(name) for name, _ in pairs)
    return re.compile(rf"(?<![\w.])({alternatives})(?![\w])"), table


def places_in(text: str) -> dict[str, str]:
    """The regions `text` names: code -> the words that named it."""
    pattern, table = _pattern()
    found: dict[str, str] = {}
    for match in pattern.finditer(text):
        found.setdefault(table[match.group(1)], match.group(1))
    return found


def ask_places(ask: Ask) -> dict[str, str]:
    """Where the ask is: the places its project, need, deliverables and meeting name. The
    sender's and partner's own names are left out (a "Granite State Taxpayers" partner block
    says nothing of where the work is)."""
    texts = [ask.project.summary, ask.need.description, *ask.need.deliverables]
    if ask.meeting and ask.meeting.location:
        texts.append(ask.meeting.location)
    return places_in(" \n ".join(texts))


@lru_cache(maxsize=1)
def _division() -> dict[str, int]:
    return {f"US-{code}": n for n, codes in enumerate(_DIVISIONS) for code in codes.split()}


@dataclass(frozen=True)
class Reach:
    """How a partner's region relates to the ask's place: `exact`, `national` (a US-wide
    partner, a US place), `neighbour` (the same US Census division), `none`, or `unknown`."""

    kind: str
    detail: str


def groups_in(focus: str | None) -> tuple[str, ...]:
    """The groups of states a partner's focus names ("across New England")."""
    return tuple(g for g in _GROUPS if g in (focus or ""))


@lru_cache(maxsize=4096)
def reach(region: str | None, places: tuple[tuple[str, str], ...], groups: tuple = ()) -> Reach:
    """How `region` (and the groups of states its focus names) reaches the ask's `places`
    (code, words) pairs. Cached: a directory has few distinct regions."""
    if not places:
        return Reach("unknown", "the ask names no place")
    codes = {code for code, _ in places}
    where = ", ".join(f"{code} ({words})" for code, words in places)
    if region is None:
        return Reach("unknown", f"no region on file; the ask is in {where}")
    if region in codes:
        return Reach("exact", f"works in {region}; the ask is in {where}")
    # A focus that names a group of states ("across New England") reaches each of them; a
    # place named in a focus ("Seattle's Capitol Hill") is not the ask's place.
    for group in groups:
        if any(code[3:] in _GROUPS[group].split() for code in codes if code.startswith("US-")):
            return Reach("exact", f"reaches {group} from {region}; the ask is in {where}")
    if region == "US-national" and any(code.startswith("US-") for code in codes):
        return Reach("national", f"national reach covers {where}")
    division = _division()
    if region in division and any(division.get(code) == division[region] for code in codes):
        return Reach("neighbour", f"works in {region}, a neighbour of {where}")
    return Reach("none", f"works in {region}; the ask is in {where}")
