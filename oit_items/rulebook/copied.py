"""The dates a copied year's texts still carry.

A year opened before the NACC published its criteria copies the last year's items (Framework.clone_to):
their rules' dates move with the year, but their guidance and sub-requirements are the NACC's words and
stay as they were — "ต.ค.๖๖ – มี.ค.๖๗" in FY2570. The pages must not show those dates as this year's, nor
rewrite the NACC's text: they keep it and mark the dates of the year it was copied from
(`mentions`, `segments`), beside a note of the period this year's checks use.

What counts as a date of the source year (FY2567, 1 Oct 2566 – 30 Sep 2567): its Buddhist years 2566 and
2567 and their Christian years 2023 and 2024 as four digits (Thai or Arabic), and the two-digit years 66
and 67 after a Thai month (ต.ค.66, มี.ค. ๖๗). Other years stay unmarked: a law or a code of ethics of
another year (ประมวลจริยธรรม พ.ศ. 2564) is not the source year's date.
"""

import re

from ita_portal.lib import thaidate

MONTHS_TH = "|".join(re.escape(m) for m in thaidate.MONTHS_TH_ABBR + thaidate.MONTHS_TH)
DIGIT = "0-9๐-๙"


def _years(criteria_year: int) -> tuple[list[str], list[str]]:
    """(four-digit years, two-digit years) of a fiscal year, each in Arabic and Thai digits."""
    be = [criteria_year - 1, criteria_year]
    four = [str(y) for y in be] + [str(thaidate.ce_year(y)) for y in be]
    two = [f"{y % 100:02d}" for y in be]
    return (sorted({form for y in four for form in (y, thaidate.to_thai_digits(y))}),
            sorted({form for y in two for form in (y, thaidate.to_thai_digits(y))}))


def pattern(criteria_year: int) -> re.Pattern:
    four, two = _years(criteria_year)
    return re.compile(
        rf"(?<![{DIGIT}])(?:{'|'.join(four)})(?![{DIGIT}])"
        rf"|(?:{MONTHS_TH})\s?(?:{'|'.join(two)})(?![{DIGIT}])"
    )


def mentions(text: str, criteria_year: int | None) -> list[str]:
    """The dates of fiscal year `criteria_year` in `text`, in order ([] without a year)."""
    if not text or not criteria_year:
        return []
    return pattern(criteria_year).findall(text)


def segments(text: str, criteria_year: int | None) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is a date of `criteria_year`), in order; joined, the pieces are the text."""
    if not text or not criteria_year:
        return [(text or "", False)]
    result, at = [], 0
    for found in pattern(criteria_year).finditer(text):
        if found.start() > at:
            result.append((text[at:found.start()], False))
        result.append((found.group(), True))
        at = found.end()
    if at < len(text):
        result.append((text[at:], False))
    return result


def item_texts(item, language: str = "th") -> list[str]:
    """What the NACC wrote of an item, as a reader of `language` sees it: its title, guidance and
    sub-requirements in English when it has them and English is asked, else in Thai."""
    english = language == "en"
    pick = (lambda en, th: en or th) if english else (lambda en, th: th)
    texts = [pick(item.title_en, item.title_th), pick(item.guidance_en, item.guidance_th)]
    texts += [pick(r.get("en"), r.get("th")) for r in item.sub_requirements or []]
    return [t for t in texts if t]


def item_mentions(item, language: str = "th") -> list[str]:
    """The source year's dates in a provisional year's item texts, each once, in order ([] once the
    criteria are final)."""
    year = item.framework.criteria_year
    return list(dict.fromkeys(found for text in item_texts(item, language) for found in mentions(text, year)))
