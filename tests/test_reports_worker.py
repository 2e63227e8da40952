"""The production path of a render job: web → transaction.on_commit → Redis → a real Celery worker
→ files and evidence in PostgreSQL, while the web side polls the status partial."""


import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from oit_items.evidence.models import Evidence, ItemPeriod
from reports.models import RenderJob
from tests.conftest import wait_for
from tests.test_reports_support import OCT, PURCHASES, enter_procurement, in_pdf, pdf_text, render_url, status_url, stored

pytestmark = [pytest.mark.services]



@pytest.fixture
def worker_media(monkeypatch, media_root):
    """The worker is another process: give it this test's media directory, not the working tree's."""
    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    return media_root


def test_a_real_worker_renders_the_procurement_summary_taken_from_redis(client, worker_media,
                                                                            celery_worker_on_redis):
    worker, log_path = celery_worker_on_redis
    client.force_login(get_user_model().objects.get(username="bk-responsible"))
    assert enter_procurement(client, purchases=PURCHASES).status_code == 302

    response = client.post(render_url("procurement_summary", "m10"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    # Nothing was rendered in the web request: the job waits in Redis for the worker.
    done = wait_for(lambda: RenderJob.objects.filter(state__in=[RenderJob.DONE, RenderJob.FAILED]).exists())
    log = log_path.read_text()
    assert done, f"the worker did not finish the job; its log:\n{log}"
    job = RenderJob.objects.get()
    assert job.state == RenderJob.DONE, job.error
    assert worker.poll() is None, log
    assert "reports.tasks.render_job" in log and "succeeded" in log

    partial = client.get(status_url("procurement_summary", "m10")).content.decode()
    assert 'data-state="done"' in partial and "hx-trigger" not in partial
    evidence = Evidence.objects.current().filter(item_period__item__code="O15", item_period__month=OCT)
    assert sorted(e.current_revision.format for e in evidence) == ["pdf", "xlsx"]
    assert ItemPeriod.objects.get(item__code="O15", unit__slug="sn-buengkum", month=OCT).state == ItemPeriod.DRAFT
    pdf = evidence.get(current_revision__format="pdf")
    assert str(settings.MEDIA_ROOT) == str(worker_media) and pdf.current_revision.file.path.startswith(str(worker_media))
    assert in_pdf("จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ", pdf_text(stored(pdf)))
