"""The data migration into the one render pipeline: the measures' jobs and outputs (documents as
evidence, signs as private files) move into the reports tables unchanged, and back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0001_initial"), ("measures", "0001_initial")]
AFTER = [("reports", "0002_one_render_pipeline"), ("measures", "0002_render_jobs_moved_to_reports")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # whatever happened, the next tests find today's schema


@pytest.mark.django_db(transaction=True)
def test_measures_jobs_move_into_the_one_job_table(back_to_the_latest_schema):
    from units.models import Unit, UnitType  # units stays at today's schema: only reports and measures move

    old = migrate(BEFORE)
    unit = Unit.objects.create(unit_type=UnitType.objects.create(code="t", name_th="ท", name_en="t", level=9),
                               slug="u-mig", name_th="หน่วย")
    OldJob, OldOutput = old.get_model("measures", "RenderJob"), old.get_model("measures", "RenderOutput")
    sign = OldJob.objects.create(kind="sign_eit", unit_id=unit.pk, fiscal_year=2567, state="done", progress=100, attempts=2)
    OldOutput.objects.create(job=sign, key="pdf", file="measures/outputs/ab/sign.pdf", file_name="ป้าย EIT.pdf", sha256="a" * 64)
    Report = old.get_model("reports", "RenderJob")
    Report.objects.create(kind="statistics", unit_id=unit.pk, month=datetime.date(2023, 10, 1), state="done")

    new = migrate(AFTER)
    Job, Output = new.get_model("reports", "RenderJob"), new.get_model("reports", "RenderOutput")
    moved = Job.objects.get(kind="sign_eit")
    assert (moved.month, moved.fiscal_year, moved.state, moved.progress, moved.attempts) == (None, 2567, "done", 100, 2)
    output = Output.objects.get(job=moved)
    assert (output.file.name, output.file_name, output.evidence_id) == ("measures/outputs/ab/sign.pdf", "ป้าย EIT.pdf", None)
    assert Job.objects.get(kind="statistics").fiscal_year == 2567  # October 2566 opens fiscal year 2567

    back = migrate(BEFORE)
    assert back.get_model("measures", "RenderJob").objects.get().kind == "sign_eit"
    assert back.get_model("reports", "RenderJob").objects.get().kind == "statistics"
