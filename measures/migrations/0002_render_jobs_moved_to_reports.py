from django.db import migrations


class Migration(migrations.Migration):
    """The measures' render jobs live in the one render pipeline now (reports 0002 copied them)."""

    dependencies = [("measures", "0001_initial"), ("reports", "0002_one_render_pipeline")]

    operations = [
        migrations.DeleteModel(name="RenderOutput"),
        migrations.DeleteModel(name="RenderJob"),
    ]
