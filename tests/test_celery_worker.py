"""The production path for background jobs: web → transaction.on_commit → Redis → worker → PostgreSQL."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Framework
from tests.conftest import wait_for

pytestmark = [pytest.mark.services]



def test_a_real_worker_runs_the_clone_job_taken_from_redis(client, celery_worker_on_redis):
    worker, log_path = celery_worker_on_redis
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-2567")
    client.force_login(admin)
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)

    response = client.post(
        reverse("admin:oit_items_framework_changelist"),
        {"action": "clone_to_next_year", "_selected_action": [police.pk]},
    )
    assert response.status_code == 302
    # Nothing ran in this process: the job went to Redis and waits for the worker.
    done = wait_for(lambda: Framework.objects.filter(unit_type=police.unit_type, fiscal_year=2568).exists())
    # The clone commits before the job ends (it then indexes the new year): wait for the job's end.
    wait_for(lambda: "succeeded" in log_path.read_text(), timeout=30)
    log = log_path.read_text()
    assert done, f"the worker did not clone the framework; its log:\n{log}"
    assert worker.poll() is None, log
    assert "oit_items.tasks.clone_framework" in log and "succeeded" in log
    clone = Framework.objects.get(unit_type=police.unit_type, fiscal_year=2568)
    assert wait_for(lambda: Assignment.objects.filter(item__framework=clone).count() == 25, timeout=30)
    assert clone.items.count() == 25 and clone.cloned_from == police
