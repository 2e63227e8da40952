"""`manage.py bench_reports`: it renders every report of the seeded units and leaves nothing behind."""

import io

from django.core.management import call_command

from oit_items.models import Evidence
from reports.models import RenderJob
from units.models import Unit


def test_the_bench_renders_everything_and_rolls_back(db, media_root):
    out = io.StringIO()
    call_command("bench_reports", units=1, stdout=out)
    report = out.getvalue()
    assert "units: 1, jobs: 6, documents: 12, failed jobs: 0" in report
    assert "documents/s per worker" in report and "peak memory" in report and "median pdf" in report
    assert "LibreOffice" in report
    assert not Unit.objects.filter(slug__startswith="bench-").exists()
    assert not RenderJob.objects.exists() and not Evidence.objects.exists()
