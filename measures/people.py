"""Linking names as a document prints them to the unit's officers.

Seeds write `พ.ต.ท.วิทยา ภูชะมา`, `ด.ต.ชาติชาย เจียม ประเสริฐ`, `พ.ต.ท.หญิง กิติโฉม` (no surname),
`ว่าที่ พ.ต.ท.หญิง ชุติกร` or only a position (`ผกก.สน.บึงกุ่ม`), with OCR slips in ranks (`สด.ต.`,
`ด.ต.ต.`) and names. A name matches an officer when, without its rank and spaces, it is the
officer's first name (or an alias) followed by the surname (or an alias) or by nothing; a position
matches the officer's position with or without the unit's short name. Only an unambiguous match
links; anything else is reported, never guessed.
"""

import re
from dataclasses import dataclass, field

from units.models import Officer, Unit

_RANK = re.compile(r"^\s*-?\s*(?:ว่าที่\s*)?(?:[ก-ฮ]{1,2}\.){1,3}\s*(?:หญิง)?\s*")
_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub("", text or "")


def bare_name(printed: str) -> str:
    """`พ.ต.ท.หญิง กิติโฉม ศรีพัฒนานนท์` → `กิติโฉมศรีพัฒนานนท์` (no rank, no spaces)."""
    return _squash(_RANK.sub("", printed, count=1))


def _name_keys(officer: Officer) -> set[str]:
    aliases = [_squash(a) for a in officer.aliases or [] if a]
    firsts = {_squash(officer.first_name), *aliases}
    lasts = {_squash(officer.last_name), "", *aliases}
    return {f + last for f in firsts for last in lasts if f}


def _position_keys(officer: Officer, unit: Unit) -> set[str]:
    position = _squash(officer.position)
    if not position:
        return set()
    keys = {position}
    short = _squash(unit.short_name_th)
    if short and position.endswith(short) and len(position) > len(short):
        keys.add(position[: -len(short)])
    return keys


@dataclass
class Directory:
    """The officers of one unit, indexed by every way a document may name them."""

    unit: Unit
    by_name: dict = field(default_factory=dict)
    by_position: dict = field(default_factory=dict)

    @classmethod
    def of(cls, unit: Unit) -> "Directory":
        directory = cls(unit)
        for officer in Officer.objects.filter(unit=unit):
            for key in _name_keys(officer):
                directory.by_name.setdefault(key, set()).add(officer)
            for key in _position_keys(officer, unit):
                directory.by_position.setdefault(key, set()).add(officer)
        return directory

    def find(self, printed: str) -> Officer | None:
        """The one officer `printed` names, or None (unknown or ambiguous)."""
        candidates = self.by_name.get(bare_name(printed)) or self.by_position.get(_squash(printed).lstrip("-"))
        if candidates and len(candidates) == 1:
            return next(iter(candidates))
        return None

    def resolve(self, names) -> tuple[list[Officer], list[str]]:
        """(officers found, in order and without repeats; names that matched nobody)."""
        found, unmatched = [], []
        for printed in names or []:
            officer = self.find(printed)
            if officer is None:
                unmatched.append(printed)
            elif officer not in found:
                found.append(officer)
        return found, unmatched


def _spelled(word: str) -> str:
    """A regular expression for `word` as documents print it: spaces may fall anywhere."""
    return r"\s*".join(re.escape(ch) for ch in _squash(word))


def replace_name(text: str, leaver: Officer, successor: Officer) -> str:
    """`text` with every printed form of the leaver's name (rank or not, spaced or not, any known
    spelling) replaced by the successor's name. Without a surname on record only a name written
    with its rank is taken, so that a bare first name is never guessed."""
    if not text:
        return text
    firsts = [f for f in {leaver.first_name, *(leaver.aliases or [])} if _squash(f)]
    lasts = [last for last in {leaver.last_name, *(leaver.aliases or [])} if _squash(last)]
    if not firsts:
        return text
    rank = r"(?:ว่าที่\s*)?(?:[ก-ฮ]{1,2}\.){1,3}\s*(?:หญิง)?\s*"
    first = "(?:" + "|".join(_spelled(f) for f in sorted(firsts, key=len, reverse=True)) + ")"
    if leaver.last_name.strip():
        last = "(?:" + "|".join(_spelled(x) for x in sorted(lasts, key=len, reverse=True)) + ")"
        pattern = f"(?:{rank})?{first}\\s*{last}"
    else:
        pattern = f"{rank}{first}"
    return re.sub(pattern, successor.display_name, text)
