"""`manage.py bench_reports`: it renders every report of the seeded units, compares the O7 document
with LibreOffice converting our Word file, measures 1 and 2 worker processes, and leaves nothing
behind."""

import io
import re
import shutil

from django.core.management import call_command

from oit_items.evidence.models import Evidence
from reports.models import RenderJob
from tests.conftest import require
from units.models import Unit


def test_the_bench_renders_everything_and_rolls_back(db, media_root):
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is installed: scripts/ensure-system.sh")
    out = io.StringIO()
    call_command("bench_reports", units=1, pairs=1, workers="1,2", stdout=out)
    report = out.getvalue()
    assert "units: 1, jobs: 6, documents: 12, failed jobs: 0" in report
    assert "documents/s per worker" in report and "peak memory" in report and "median pdf" in report
    assert re.search(r"O7 \(25 activity rows, 4 photos\), 1 pairs: our PDF median \d+ ms, LibreOffice docx->pdf median "
                     r"\d+ ms -> ratio [0-9.]+", report), report
    assert re.search(r"^1 worker process: \d+ documents in [0-9.]+ s -> [0-9.]+ documents/s per worker$", report, re.M)
    assert re.search(r"^2 worker processes: \d+ documents in [0-9.]+ s", report, re.M)
    assert not Unit.objects.filter(slug__startswith="bench-").exists()
    assert not RenderJob.objects.exists() and not Evidence.objects.exists()
