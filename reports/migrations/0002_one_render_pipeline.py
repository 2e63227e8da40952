"""One render pipeline: the measures' RenderJob/RenderOutput rows move into the reports tables,
which gain a fiscal year (every job), an optional month (monthly kinds) and private files (signs)."""

import django.db.models.deletion
from django.db import migrations, models

import reports.models


def fiscal_year(month):
    return month.year + 543 + (1 if month.month >= 10 else 0)


def settle(schema_editor):
    """Check the new rows' foreign keys now: PostgreSQL refuses to ALTER a table with pending checks."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def merge(apps, schema_editor):
    Job, Output = apps.get_model("reports", "RenderJob"), apps.get_model("reports", "RenderOutput")
    for job in Job.objects.filter(fiscal_year__isnull=True):
        job.fiscal_year = fiscal_year(job.month)
        job.save(update_fields=["fiscal_year"])
    OldJob, OldOutput = apps.get_model("measures", "RenderJob"), apps.get_model("measures", "RenderOutput")
    fields = ("kind", "unit_id", "fiscal_year", "state", "progress", "error", "attempts", "requested_by_id",
              "started_at", "finished_at")
    for old in OldJob.objects.all():
        new = Job.objects.create(month=None, **{f: getattr(old, f) for f in fields})
        Job.objects.filter(pk=new.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        for output in OldOutput.objects.filter(job=old):
            Output.objects.create(job=new, key=output.key, evidence_id=output.evidence_id, file=output.file.name,
                                  file_name=output.file_name, sha256=output.sha256)
    settle(schema_editor)


def split(apps, schema_editor):
    Job = apps.get_model("reports", "RenderJob")
    OldJob, OldOutput = apps.get_model("measures", "RenderJob"), apps.get_model("measures", "RenderOutput")
    fields = ("kind", "unit_id", "fiscal_year", "state", "progress", "error", "attempts", "requested_by_id",
              "started_at", "finished_at")
    for job in Job.objects.filter(month__isnull=True):
        old = OldJob.objects.create(**{f: getattr(job, f) for f in fields})
        for output in job.outputs.all():
            OldOutput.objects.create(job=old, key=output.key, evidence_id=output.evidence_id, file=output.file.name,
                                     file_name=output.file_name, sha256=output.sha256)
        job.delete()
    settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("measures", "0001_initial"),
        ("oit_items", "0003_audit_append_only"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="renderjob", name="reports_unique_render_job"),
        migrations.AddField(model_name="renderjob", name="fiscal_year",
                            field=models.PositiveSmallIntegerField(null=True, verbose_name="fiscal year (BE)")),
        migrations.AlterField(model_name="renderjob", name="month",
                              field=models.DateField(blank=True, null=True, verbose_name="month")),
        migrations.AlterField(model_name="renderjob", name="kind",
                              field=models.CharField(max_length=40, verbose_name="document")),
        migrations.AlterField(
            model_name="renderjob", name="state",
            field=models.CharField(choices=[("queued", "Queued"), ("waiting", "Waiting for the queue"), ("running", "Running"),
                                            ("done", "Done"), ("failed", "Failed")],
                                   default="queued", max_length=10, verbose_name="status")),
        migrations.AlterField(
            model_name="renderoutput", name="evidence",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="oit_items.evidence")),
        migrations.AddField(model_name="renderoutput", name="file",
                            field=models.FileField(blank=True, max_length=200, upload_to=reports.models.output_path)),
        migrations.AddField(model_name="renderoutput", name="file_name", field=models.CharField(blank=True, max_length=255)),
        migrations.AddField(model_name="renderoutput", name="sha256", field=models.CharField(blank=True, max_length=64)),
        migrations.RunPython(merge, split),
        migrations.AlterField(model_name="renderjob", name="fiscal_year",
                              field=models.PositiveSmallIntegerField(verbose_name="fiscal year (BE)")),
        migrations.AlterModelOptions(name="renderjob", options={
            "ordering": ["unit", "fiscal_year", "month", "kind"], "verbose_name": "render job",
            "verbose_name_plural": "render jobs"}),
        migrations.AddConstraint(model_name="renderjob", constraint=models.UniqueConstraint(
            condition=models.Q(month__isnull=False), fields=("kind", "unit", "month"), name="reports_unique_monthly_render_job")),
        migrations.AddConstraint(model_name="renderjob", constraint=models.UniqueConstraint(
            condition=models.Q(month__isnull=True), fields=("kind", "unit", "fiscal_year"), name="reports_unique_yearly_render_job")),
    ]
