"""Search within one unit's published disclosures. Thai is written without spaces between words,
so the query is segmented into words (PyThaiNLP, newmm) and stop-words (การ, ของ …) dropped; a
document matches when every remaining word occurs in it. Documents are kept as their segmented,
normalised text, so a query word also finds a longer compound (ปฏิบัติ in การปฏิบัติ).
Only approved snapshots are searched."""

import re
from dataclasses import dataclass

from django.core.cache import cache
from pythainlp.corpus.common import thai_stopwords
from pythainlp.tokenize import word_tokenize

from ita_portal import thaidate

from . import publication
from .models import Item
from .public import published_by_month

_WORD = re.compile(r"\w", re.UNICODE)
STOPWORDS = thai_stopwords()


def words(text: str) -> list[str]:
    """Normalised words of a text: segmented, lower-case, Arabic digits, punctuation dropped."""
    text = thaidate.from_thai_digits(text or "").lower()
    return [w.strip() for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if _WORD.search(w)]


@dataclass
class Hit:
    item_code: str
    item_title: str
    month: str | None  # ISO date of the month, or None
    title: str
    kind: str
    revision: int | None
    url: str
    score: int


def query_words(query: str) -> list[str]:
    found = words(query)
    meaningful = [w for w in found if w not in STOPWORDS]
    return meaningful or found


def _text(text: str) -> str:
    return " ".join(words(text))


def _documents(unit, fiscal_year) -> list[tuple[dict, str]]:
    items = list(Item.objects.for_unit(unit, fiscal_year))
    published = published_by_month(unit, items)
    documents = []
    for item in items:
        base = {"item_code": item.code, "item_title": item.title_th}
        documents.append((base | {"month": None, "title": item.title_th, "kind": "item", "revision": None, "url": ""},
                          _text(f"{item.title_th} {item.title_en}")))
        for month, _at, entries in published.get(item.pk, []):
            for entry in entries:
                text = " ".join(entry.get(k) or "" for k in ("title", "description", "reason", "original_name"))
                documents.append((base | {"month": month.isoformat() if month else None, "title": entry["title"],
                                          "kind": entry["kind"], "revision": entry.get("revision"),
                                          "url": entry.get("url") or ""}, _text(text)))
    return documents


def index(unit, fiscal_year):
    """The segmented documents of a unit's year, kept in the cache until the next approval."""
    key = f"search-index:{unit.slug}:{fiscal_year}:{publication.stamp(unit.slug)}"
    documents = cache.get(key)
    if documents is None:
        documents = _documents(unit, fiscal_year)
        cache.set(key, documents, publication.PAGE_TTL)
    return documents


def search(unit, fiscal_year, query: str, limit: int = 50) -> list[Hit]:
    wanted = query_words(query)
    if not wanted:
        return []
    hits = []
    for fields, text in index(unit, fiscal_year):
        if all(word in text for word in wanted):
            # Whole-word matches rank above parts of compounds; shorter documents above longer.
            whole = sum(f" {word} " in f" {text} " for word in wanted)
            hits.append(Hit(score=whole * 100 + len(wanted) * 10 - len(text) // 50, **fields))
    hits.sort(key=lambda h: (-h.score, h.item_code))
    return hits[:limit]
