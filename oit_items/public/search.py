"""Word-level search in one unit's published disclosures: item titles, guidance and
sub-requirements, and the titles and descriptions of approved evidence.

Thai is written without spaces, so texts and queries are cut into words by the same PyThaiNLP
tokeniser (newmm). A query word matches where a word of the text starts — also a word inside a
dictionary compound (ทาง in ทางการ, ปฏิบัติ in การปฏิบัติ) — and ends where a word ends (a whole
word) or where a syllable of it ends (a word prefix: ช่อง finds ช่องทาง, ร้อง finds ร้องเรียน).
A piece cut out of the middle of words (ดซื้อจั, อง) starts or ends inside a syllable and is found
nowhere. Every word of the query must match; results are ranked by how well (whole words above
prefixes, titles above the rest) and the matched words are highlighted.

The index (`SearchEntry`) is built by a Celery job queued when a unit's published record changes (receivers.py), never in a
request. The page reads whatever was built last and says when it is behind the publication.
"""

import bisect
import datetime
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from pythainlp.corpus.common import thai_words
from pythainlp.tokenize import subword_tokenize, word_tokenize

from ita_portal.lib import pagecache, thaidate
from oit_items.evidence.models import ItemPeriod
from oit_items.public.models import SearchEntry, SearchIndexState
from oit_items.rulebook.models import Item
from units.models import Unit

_THAI = re.compile(r"[\u0e00-\u0e7f]")
MAX_COMPOUND = 40  # longer "words" are not split into dictionary words (they are not words)
# Pieces of a compound are at least this long: two-letter dictionary words (ชา, ประ) would cut
# ordinary words into syllables (ประ|ชา) and let fragments match.
MIN_PIECE = 3
SNIPPET = 90  # characters of context shown around a match


def normalise(text: str) -> str:
    """Lower case and Arabic digits, character for character: offsets in the normalised text are
    offsets in the text as shown (so matches can be highlighted where they are)."""
    out = []
    for ch in thaidate.from_thai_digits(text or ""):
        lower = ch.lower()
        out.append(lower if len(lower) == 1 else ch)
    return "".join(out)


def _is_word_char(ch: str) -> bool:
    """Letters, digits and the marks written on them (Thai vowels above and below, tone marks)."""
    return unicodedata.category(ch)[0] in "LNM"


def _tokens(text: str):
    """(begin, end) of each word of a normalised text, punctuation trimmed off its ends."""
    pos = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if not text.startswith(token, pos):  # the tokens normally join back into the text
            pos = text.find(token, pos)
            if pos < 0:
                return
        begin, pos = pos, pos + len(token)
        chars = [i for i, ch in enumerate(token) if _is_word_char(ch)]
        if chars:
            yield begin + chars[0], begin + chars[-1] + 1


@functools.lru_cache(maxsize=1)
def _dictionary() -> frozenset:
    return frozenset(thai_words())


def _cover(word: str) -> list[int] | None:
    """Offsets where the fewest shorter dictionary words (each at least MIN_PIECE letters) covering
    `word` meet (การ|ปฏิบัติ, จัด|ซื้อ|จัด|จ้าง), or None when there is no such cover."""
    n, words = len(word), _dictionary()
    best = [None] * (n + 1)  # best[i]: fewest pieces covering word[:i], as the list of cut offsets
    best[0] = []
    for end in range(MIN_PIECE, n + 1):
        for begin in range(0, end - MIN_PIECE + 1):
            if best[begin] is None or (begin == 0 and end == n):
                continue
            if word[begin:end] in words:
                candidate = best[begin] + ([begin] if begin else [])
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[n] or None


@functools.lru_cache(maxsize=20000)
def _compound_cuts(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends): offsets inside `word` where a dictionary word it is made of begins or ends.

    Pieces are at least MIN_PIECE letters. A two-letter word at either end (ปี|งบประมาณ,
    ประชา|ชน) may complete the cover beside a long piece: the long piece is then found (งบประมาณ
    in ปีงบประมาณ) but the two letters are not found on their own — as words inside words they
    are mostly syllables (ชน in ประชาชน)."""
    n = len(word)
    if n < MIN_PIECE + 2 or n > MAX_COMPOUND or not _THAI.search(word):
        return (), ()
    cuts = _cover(word)
    if cuts:
        starts, ends = set(cuts), set(cuts)
        for begin, end in zip([0, *cuts], [*cuts, n]):
            inner_starts, inner_ends = _compound_cuts(word[begin:end])
            starts.update(begin + cut for cut in inner_starts)
            ends.update(begin + cut for cut in inner_ends)
        return tuple(sorted(starts)), tuple(sorted(ends))
    words = _dictionary()
    for begin, end in ((2, n), (0, n - 2)):  # a short word in front, or behind
        rest, short = word[begin:end], word[:begin] or word[end:]
        if short in words and len(rest) > MIN_PIECE and (rest in words or _cover(rest)):
            inner_starts, inner_ends = _compound_cuts(rest)
            starts = {begin} - {0} | {begin + cut for cut in inner_starts}
            ends = {end} - {n} | {begin + cut for cut in inner_ends}
            return tuple(sorted(starts)), tuple(sorted(ends))
    return (), ()


@functools.lru_cache(maxsize=20000)
def _syllable_ends(word: str) -> tuple[int, ...]:
    """Offsets inside `word` where a prefix of whole syllables ends (any character for Latin)."""
    if not _THAI.search(word):
        return tuple(range(1, len(word)))
    syllables = subword_tokenize(word, engine="dict")
    if "".join(syllables) != word:
        return ()
    ends, pos = [], 0
    for syllable in syllables[:-1]:
        pos += len(syllable)
        ends.append(pos)
    return tuple(ends)


def analyse(body: str) -> dict:
    """The fields of a SearchEntry for a text: normalised, with its word boundaries."""
    text = normalise(body)
    starts, ends, prefix_ends = set(), set(), set()
    for begin, end in _tokens(text):
        word = text[begin:end]
        starts.add(begin)
        ends.add(end)
        inner_starts, inner_ends = _compound_cuts(word)
        starts.update(begin + cut for cut in inner_starts)
        ends.update(begin + cut for cut in inner_ends)
        prefix_ends.update(begin + cut for cut in _syllable_ends(word))
    return {"text": text, "starts": sorted(starts), "ends": sorted(ends), "prefix_ends": sorted(prefix_ends - ends)}


def words(text: str) -> list[str]:
    """The normalised words of a text, as the index and the query see them."""
    text = normalise(text)
    return [text[b:e] for b, e in _tokens(text)]


def _known(word: str) -> bool:
    """A word the query may be split at: Latin or digits, or a Thai dictionary word long enough
    not to be a syllable cut out of another word (ระ, หน)."""
    return not _THAI.search(word) or (len(word) >= MIN_PIECE and word in _dictionary())


def query_terms(query: str) -> list[str]:
    """The words of a query, tokenised like the texts. A run of the query (between spaces) whose
    words are all real words is searched word by word, in any order (รายงานประจำเดือน finds
    รายงาน … ประจำเดือน); a run the tokeniser can only cut into pieces that are not words
    (ดซื้อจั: ด + ซื้อ + จั; ระกอบ: ระ + กอบ) is searched as it was typed, in one piece. Stop-words (การ, ของ) are
    kept: dropping them would let a garbled query match on what is left."""
    terms = []
    for run in normalise(query).split():
        spans = list(_tokens(run))
        if not spans:
            continue
        words = [run[b:e] for b, e in spans]
        terms += words if all(_known(w) for w in words) else [run[spans[0][0]:spans[-1][1]]]
    return list(dict.fromkeys(terms))


# --- building ---------------------------------------------------------------------------------

def _item_body(item: Item) -> tuple[str, str]:
    parts = [item.title_th, item.title_en, item.guidance_th, item.guidance_en]
    parts += [f"{r.get('th', '')} {r.get('en', '')}" for r in item.sub_requirements or []]
    body = f"{item.code} {item.title_th}\n" + "\n".join(p for p in parts[1:] if p)
    return body, hashlib.sha256(body.encode()).hexdigest()


def refresh_items(items) -> None:
    """The shared entries of these items, rebuilt only where the item's text changed."""
    have = dict(SearchEntry.objects.filter(item__in=items, unit=None).values_list("item_id", "source"))
    for item in items:
        body, source = _item_body(item)
        if have.get(item.pk) == source:
            continue
        fields = {"kind": "item", "title": item.title_th[:300], "body": body, "source": source, **analyse(body)}
        try:
            with transaction.atomic():
                SearchEntry.objects.update_or_create(item=item, unit=None, defaults=fields)
        except IntegrityError:  # another unit's job made it at the same moment: the same entry
            pass


def _evidence_entries(unit, items) -> list[SearchEntry]:
    entries = []
    periods = ItemPeriod.objects.filter(unit=unit, item__in=items, published_version__gt=0).only(
        "item_id", "month", "published")
    for period in periods:
        for e in period.published:
            title = e.get("title") or ""
            rest = [e.get(k) or "" for k in ("description", "reason", "original_name")]
            body = title + "\n" + "\n".join(r for r in rest if r)
            entries.append(SearchEntry(item_id=period.item_id, unit=unit, month=period.month, kind=e["kind"],
                                       revision=e.get("revision"), url=e.get("url") or "", title=title[:300],
                                       body=body, **analyse(body)))
    return entries


def rebuild(unit) -> int:
    """The unit's index for every fiscal year, from its approved snapshots. Idempotent. Runs for
    one unit take turns (the state row is locked before anything is read), so whichever runs last
    reads the latest snapshots and the stamp that goes with them — from the database, not from a
    cache that may be a second behind."""
    items = list(Item.objects.filter(framework__unit_type_id=unit.unit_type_id, retired=False))
    refresh_items(items)
    with transaction.atomic():
        state, _created = SearchIndexState.objects.get_or_create(unit=unit, defaults={"stamp": "", "built_at": timezone.now()})
        SearchIndexState.objects.select_for_update().get(pk=state.pk)
        published_at = Unit.objects.filter(pk=unit.pk).values_list("published_at", flat=True).first()
        entries = _evidence_entries(unit, items)
        SearchEntry.objects.filter(unit=unit).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        SearchIndexState.objects.filter(pk=state.pk).update(stamp=index_stamp(published_at), built_at=timezone.now())
    pagecache.touch_live(BUILT, unit.slug)  # committed (the job runs outside a transaction): cached results follow
    return len(entries)


BUILT = "search-index"  # the live stamp of a unit's index: moved by every rebuild


def built_stamp(slug: str) -> str:
    """Changes when the unit's index is rebuilt: the search page's results come from it."""
    return pagecache.live_stamp(BUILT, slug, lambda: SearchIndexState.objects.filter(unit__slug=slug).values_list(
        "built_at", flat=True).first())


def index_stamp(published_at) -> str:
    return pagecache.as_stamp(published_at)[:64]  # as publication.stamp() has it


def state(unit) -> str:
    """"ready", "updating" (built from an earlier publication) or "building" (never built); `unit`
    as just read from the database."""
    built = SearchIndexState.objects.filter(unit=unit).values_list("stamp", flat=True).first()
    if built is None:  # nothing published yet: nothing of its own to index, the items' texts are shared
        return "building" if ItemPeriod.objects.filter(unit=unit, published_version__gt=0).exists() else "ready"
    return "ready" if built == index_stamp(unit.published_at) else "updating"


# --- searching --------------------------------------------------------------------------------

@dataclass
class Hit:
    item_code: str
    item_title: str
    item_title_en: str
    month: object  # a date, or None
    kind: str
    revision: int | None
    url: str
    score: int
    title: str = ""
    title_parts: list = field(default_factory=list)  # the title as [(text, highlighted)]
    snippet: list = field(default_factory=list)  # where the words were found beyond the title, likewise


WHOLE, PREFIX = 3, 2


def _matches(entry: SearchEntry, term: str, starts: set, ends: set, prefix_ends: set) -> list[tuple[int, int, int]]:
    """(begin, end, weight) of every place `term` matches as a word or a word prefix."""
    found, text, at = [], entry.text, entry.text.find(term)
    while at >= 0:
        end = at + len(term)
        if at in starts:
            if end in ends:
                found.append((at, end, WHOLE))
            elif end in prefix_ends:
                found.append((at, end, PREFIX))
        at = text.find(term, at + 1)
    return found


def _segments(body: str, spans, begin: int, end: int) -> list[tuple[str, bool]]:
    out, pos = [], begin
    for s, e in spans:
        s, e = max(s, begin), min(e, end)
        if s >= e or s < pos:
            continue
        if s > pos:
            out.append((body[pos:s], False))
        out.append((body[s:e], True))
        pos = e
    if pos < end:
        out.append((body[pos:end], False))
    return out


def _merged(spans) -> list[tuple[int, int]]:
    merged = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _hit(entry: SearchEntry, terms: list[str]) -> Hit | None:
    starts, ends, prefix_ends = set(entry.starts), set(entry.ends), set(entry.prefix_ends)
    title_end = entry.body.find("\n") if "\n" in entry.body else len(entry.body)
    score, spans = 0, []
    for term in terms:
        found = _matches(entry, term, starts, ends, prefix_ends)
        if not found:
            return None
        score += max(weight * (2 if b < title_end else 1) for b, _e, weight in found)
        spans += [(b, e) for b, e, _w in found]
    spans = _merged(spans)
    item = entry.item
    hit = Hit(item_code=item.code, item_title=item.title_th, item_title_en=item.title_en, month=entry.month,
              kind=entry.kind, revision=entry.revision, url=entry.url, score=score * 10 + (5 if entry.kind != "item" else 0))
    title_start = len(item.code) + 1 if entry.kind == "item" else 0
    hit.title = entry.body[title_start:title_end]
    hit.title_parts = _segments(entry.body, spans, title_start, title_end)
    later = [(s, e) for s, e in spans if s > title_end]
    if later:
        # Cut at word boundaries, never inside a word.
        begin = max(title_end + 1, later[0][0] - SNIPPET // 3)
        begin = entry.starts[bisect.bisect_left(entry.starts, begin)] if begin > title_end + 1 else begin
        stop = min(len(entry.body), later[0][1] + SNIPPET)
        if stop < len(entry.body):
            stop = max(later[0][1], entry.ends[bisect.bisect_right(entry.ends, stop) - 1])
        hit.snippet = ([("… ", False)] if begin > title_end + 1 else []) + _segments(entry.body, spans, begin, stop) + (
            [(" …", False)] if stop < len(entry.body) else [])
    return hit


def search(unit, fiscal_year: int, query: str, limit: int = 50) -> list[Hit]:
    terms = query_terms(query)
    if not terms:
        return []
    items = Item.objects.for_unit(unit, fiscal_year).values("pk")
    entries = SearchEntry.objects.of_unit(unit, items).select_related("item").defer("title", "source")
    for term in terms:  # the database keeps only texts that contain every word somewhere
        entries = entries.filter(text__contains=term)
    hits = [hit for entry in entries if (hit := _hit(entry, terms))]
    hits.sort(key=lambda h: (-h.score, _number(h.item_code), h.month or datetime.date.min))
    return hits[:limit]


def _number(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0
