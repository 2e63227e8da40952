from django.db import migrations, models

import oit_items.channels.models


def give_codes(apps, schema_editor):
    """Questions asked before codes existed get one each (nobody was shown it: staff can quote it)."""
    Question = apps.get_model("channels", "Question")
    taken = set()
    for question in Question.objects.filter(code__isnull=True).only("pk"):
        code = oit_items.channels.models.new_tracking_code()
        while code in taken:
            code = oit_items.channels.models.new_tracking_code()
        taken.add(code)
        Question.objects.filter(pk=question.pk).update(code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0002_complaint_updated_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='code',
            field=models.CharField(editable=False, max_length=14, null=True, verbose_name='reference code'),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='question',
            name='code',
            field=models.CharField(default=oit_items.channels.models.new_tracking_code, editable=False, max_length=14,
                                   unique=True, verbose_name='reference code'),
        ),
    ]
