"""`manage.py bench_reports --units N`: how fast workers turn a month of data into documents.

Seeds N bench units ("bench-…") with a month of every dataset inside a transaction that is rolled
back at the end (files go to a temporary media directory, removed afterwards), and measures:

1. every render job of those units run in this process exactly as a worker runs it (jobs.run):
   documents per second per worker, the median time per format, peak memory;
2. the same O7 document (25 activities, 4 photos) rendered by us as PDF against LibreOffice
   converting our own Word file of it (`soffice --headless --convert-to pdf`), in pairs, each pair
   in one run: the medians and their ratio (the aim is ≤ 0.2);
3. the documents of step 1 rendered again by 1 and by 2 worker processes at once: documents per
   second per worker (rendering is CPU-bound: on a two-core machine two workers share it).
"""

import datetime
import io
import multiprocessing
import resource
import shutil
import statistics as stats
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings
from django.utils import translation

from ita_portal.lib import stored, thaidate
from ita_portal.lib.uploads import validate_upload
from oit_items.rulebook.models import Framework
from reports import builders, jobs
from reports.document import Image
from reports.forms import store_photo
from reports.kinds import DOCUMENT_KINDS
from reports.models import (
    Activity,
    Announcement,
    Bid,
    BudgetLine,
    BudgetMonth,
    BudgetPlan,
    BudgetSpending,
    FundMonth,
    FundSpending,
    OperationsReport,
    ProcurementMonth,
    Purchase,
    RenderJob,
    StatisticsReport,
)
from reports.renderers import render
from units.models import LineOfWork, Unit, UnitType

_WORK: list = []  # (document, format) pairs the worker processes render, inherited when they fork


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Seed N throwaway units with a month of data, render all their reports, and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=5)
        parser.add_argument("--fiscal-year", type=int, default=2567)
        parser.add_argument("--month", type=int, default=10, help="calendar month 1-12 (default October)")
        parser.add_argument("--pairs", type=int, default=5, help="O7 renderings timed against LibreOffice")
        parser.add_argument("--workers", default="1,2", help="worker process counts to measure, e.g. 1,2")

    def handle(self, *args, units, fiscal_year, month, pairs, workers, **options):
        unit_type = UnitType.objects.filter(code=UnitType.POLICE_STATION).first()
        if unit_type is None or not Framework.objects.filter(unit_type=unit_type, fiscal_year=fiscal_year).exists():
            raise CommandError(f"no police-station framework for {fiscal_year}: run `manage.py load_frameworks` first")
        first_day = thaidate.fiscal_month_date(fiscal_year, month)
        media = Path(tempfile.mkdtemp(prefix="bench-reports-"))
        self.timings, self.rendered = {"pdf": [], "docx": [], "xlsx": []}, []
        try:
            with override_settings(MEDIA_ROOT=media), stored.atomic(), translation.override("th"):
                seeded = [seed_unit(unit_type, first_day, n) for n in range(units)]
                result = self._render(seeded, first_day)
                o7 = builders.operations(seed_unit(unit_type, first_day, units, activities=25, photos=4), first_day)
                raise Rollback  # leave nothing behind in the database
        except Rollback:
            pass
        try:
            office = self._against_soffice(o7, media, pairs)
            parallel = {n: self._workers(n) for n in sorted({int(w) for w in workers.split(",") if w.strip()})}
        finally:
            shutil.rmtree(media, ignore_errors=True)
        self._report(units, result, office, parallel)

    # --- 1. the render jobs, in this process --------------------------------------------------

    def _timed_render(self, document, fmt):
        start = time.perf_counter()
        content = self._real_render(document, fmt)
        self.timings[fmt].append(time.perf_counter() - start)
        self.rendered.append((document, fmt))
        return content

    def _render(self, units, month) -> dict:
        self._real_render, jobs.render = jobs.render, self._timed_render  # time exactly what the jobs render
        try:
            start, failed = time.perf_counter(), []
            for unit in units:
                for kind in DOCUMENT_KINDS:
                    job = jobs.run(RenderJob.objects.create(kind=kind, unit=unit, month=month, fiscal_year=thaidate.fiscal_year(month)))
                    if job.state != RenderJob.DONE:
                        failed.append(f"{unit.slug} {kind}: {job.error}")
            elapsed = time.perf_counter() - start
        finally:
            jobs.render = self._real_render
        return {"elapsed": elapsed, "jobs": len(units) * len(DOCUMENT_KINDS), "failed": failed,
                "documents": sum(len(t) for t in self.timings.values())}

    # --- 2. the same O7 document: us against LibreOffice --------------------------------------

    def _against_soffice(self, document, media, pairs) -> dict | str:
        soffice = shutil.which("soffice")
        if not soffice:
            return "skipped: `soffice` is not on PATH (scripts/ensure-system.sh installs it for the tests)"
        work, profile = media / "soffice", media / "soffice-profile"
        work.mkdir()
        source = work / "o7.docx"
        source.write_bytes(render(document, "docx"))
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        subprocess.run(command, capture_output=True, timeout=300, check=True)  # makes the profile: not timed
        ours, theirs = [], []
        for _ in range(max(pairs, 1)):
            start = time.perf_counter()
            render(document, "pdf")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, timeout=300, check=True)
            theirs.append(time.perf_counter() - start)
        return {"ours": stats.median(ours), "soffice": stats.median(theirs), "pairs": len(ours),
                "rows": sum(len(t.rows) for t in document.tables), "photos": sum(isinstance(b, Image) for b in document.blocks)}

    # --- 3. worker processes side by side ----------------------------------------------------

    def _workers(self, count: int) -> dict:
        """Render the jobs' documents again, split over `count` forked processes; at least 12 a worker."""
        global _WORK
        _WORK = self.rendered * max(1, -(-12 * count // max(len(self.rendered), 1)))
        context = multiprocessing.get_context("fork")
        start = time.perf_counter()
        with context.Pool(count) as pool:
            pool.map(_render_one, range(len(_WORK)), chunksize=1)
        elapsed = time.perf_counter() - start
        return {"documents": len(_WORK), "elapsed": elapsed, "per_worker": len(_WORK) / elapsed / count}

    def _report(self, units, result, office, parallel):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
        write = self.stdout.write
        write(f"units: {units}, jobs: {result['jobs']}, documents: {result['documents']}, "
              f"failed jobs: {len(result['failed'])}")
        for failure in result["failed"]:
            write(f"  failed: {failure}")
        write(f"time: {result['elapsed']:.2f} s -> {result['documents'] / result['elapsed']:.2f} documents/s per worker "
              f"({result['jobs'] / result['elapsed']:.2f} jobs/s)")
        for fmt, times in self.timings.items():
            if times:
                write(f"median {fmt}: {1000 * stats.median(times):.0f} ms (n={len(times)})")
        write(f"peak memory (ru_maxrss): {peak_mb:.0f} MB")
        if isinstance(office, dict):
            write(f"O7 ({office['rows']} activity rows, {office['photos']} photos), {office['pairs']} pairs: our PDF median "
                  f"{1000 * office['ours']:.0f} ms, LibreOffice docx->pdf median {1000 * office['soffice']:.0f} ms "
                  f"-> ratio {office['ours'] / office['soffice']:.2f} (aim <= 0.2)")
        else:
            write(f"LibreOffice comparison {office}")
        for count, figures in parallel.items():
            write(f"{count} worker process{'es' if count > 1 else ''}: {figures['documents']} documents in "
                  f"{figures['elapsed']:.2f} s -> {figures['per_worker']:.2f} documents/s per worker")
        write("all bench data was rolled back and its files removed")


def _render_one(index: int) -> int:
    document, fmt = _WORK[index]
    return len(render(document, fmt))


# --- seeding: a month of every dataset for one unit (also used by the document tests) -----------

@stored.atomic()  # its photos are stored files
def seed_unit(unit_type, month, n: int, activities: int = 8, photos: int = 2) -> Unit:
    unit = Unit.objects.create(unit_type=unit_type, slug=f"bench-{n:04d}-{int(time.time())}",
                               name_th=f"สถานีตำรวจทดสอบประสิทธิภาพ {n + 1}", short_name_th=f"สน.ทดสอบ {n + 1}")
    day = month.replace(day=5)
    lines = list(LineOfWork.objects.filter(unit_type=unit_type))
    report = OperationsReport.objects.create(unit=unit, month=month, summary="สรุปผลการปฏิบัติงานประจำเดือนของสถานีตำรวจ")
    Activity.objects.bulk_create(Activity(report=report, date_from=day + datetime.timedelta(days=i % 20),
                                          description=f"กิจกรรมตรวจตราและบริการประชาชน ครั้งที่ {i + 1} ณ ชุมชนในพื้นที่รับผิดชอบ",
                                          line_of_work=lines[i % len(lines)] if lines else None,
                                          responsible="ด.ต.ชาติชาย เจียมประเสริฐ")
                                 for i in range(activities))
    for i in range(photos):
        store_photo(report, validate_upload(SimpleUploadedFile(f"ภาพกิจกรรม {i + 1}.jpg", _photo(i))))
    StatisticsReport.objects.create(unit=unit, month=month, counts={
        "crimes.group1.received": 2, "crimes.group3.received": 14, "crimes.group3.solved": 9,
        "crimes.group5.arrests": 120, "checkpoints.checkpoint.set_up": 31})
    plan = BudgetPlan.objects.create(unit=unit, fiscal_year=thaidate.fiscal_year(month))
    for source, amount, programme in (("operating", "500000.00", "แผนงานบุคลากรภาครัฐ"),
                                      ("investment", "1250000.25", "แผนงานพื้นฐานด้านความมั่นคง"),
                                      ("other", "80000.00", "แผนงานยุทธศาสตร์ป้องกันและปราบปรามยาเสพติด")):
        line = BudgetLine.objects.create(plan=plan, source=source, description=programme, planned=Decimal(amount))
        BudgetSpending.objects.create(line=line, month=month, amount=Decimal(amount) / 7)
    BudgetMonth.objects.create(unit=unit, month=month, problems="การเบิกจ่ายล่าช้าเนื่องจากรอผลการจัดซื้อจัดจ้าง")
    fund = FundMonth.objects.create(unit=unit, month=month, allocated=Decimal("30000.00"))
    FundSpending.objects.bulk_create(FundSpending(fund_month=fund, date=day, description=f"ค่าใช้จ่ายสืบสวนคดีที่ {i + 1}",
                                                  amount=Decimal("2500.50")) for i in range(4))
    _procurement(unit, month, day)
    return unit


def _procurement(unit, month, day):
    procurement = ProcurementMonth.objects.create(unit=unit, month=month)
    Announcement.objects.create(procurement=procurement, kind="invitation", title="ประกาศเชิญชวนจัดซื้อวัสดุสำนักงาน", date=day)
    for i in range(3):
        purchase = Purchase.objects.create(
            procurement=procurement, item=f"จัดซื้อวัสดุสำนักงานและน้ำดื่ม รายการที่ {i + 1}", budget=Decimal("12500.00"),
            reference_price=Decimal("12500.00"), winner="ร้านน้ำใสบึงกุ่ม", agreed_price=Decimal("12000.00"),
            reason="ราคาต่ำสุด", contract_number=f"บส {i + 1}/2567", contract_date=day)
        Bid.objects.bulk_create([Bid(purchase=purchase, bidder="ร้านน้ำใสบึงกุ่ม", price=Decimal("12000.00")),
                                 Bid(purchase=purchase, bidder="หจก. ธาราทิพย์", price=Decimal("12400.50"))])


def _photo(seed: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 960), (40 + 60 * seed, 120, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
