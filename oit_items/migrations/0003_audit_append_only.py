"""On PostgreSQL the audit log refuses UPDATE and DELETE in the database itself, whatever code
(or person with a SQL shell) tries. TRUNCATE stays possible for maintenance and test flushes."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION oit_items_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER oit_items_auditevent_append_only
    BEFORE UPDATE OR DELETE ON oit_items_auditevent
    FOR EACH ROW EXECUTE FUNCTION oit_items_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS oit_items_auditevent_append_only ON oit_items_auditevent;
DROP FUNCTION IF EXISTS oit_items_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("oit_items", "0002_evidence")]
    operations = [migrations.RunPython(forwards, backwards)]
