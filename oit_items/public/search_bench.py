"""The search figures the benches print (bench_public with the demo, bench_national at national
size): one query's time in-process and how many rows the database handed back for it."""

import statistics
import time
from urllib.parse import quote

from oit_items.public import search
from oit_items.public.models import SearchEntry
from units.models import Unit

SLUG, FISCAL_YEAR, QUERY = "sn-buengkum", 2567, "งบประมาณ"
RUNS = 21


def describe() -> str:
    return f"{QUERY!r} in {SLUG} {FISCAL_YEAR}"


def page_path() -> str:
    return f"/u/{SLUG}/ita/{FISCAL_YEAR}/search/?q={quote(QUERY)}"


def query_time() -> tuple[float, int, int]:
    """(median ms of search.search, rows its entry query returned, entries in the whole index)."""
    unit = Unit.objects.get(slug=SLUG)
    search.search(unit, FISCAL_YEAR, QUERY)  # warm-up: the tokeniser's dictionary
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        search.search(unit, FISCAL_YEAR, QUERY)
        times.append((time.perf_counter() - started) * 1000)
    rows = SearchEntry.objects.of_unit(unit, search.Item.objects.for_unit(unit, FISCAL_YEAR).values("pk")).filter(
        text__contains=search.normalise(QUERY)).count()
    return statistics.median(times), rows, SearchEntry.objects.count()
