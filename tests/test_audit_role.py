"""The audit log the application cannot rewrite (PostgreSQL): the app role reads and writes the
portal's tables, but on the audit log it may only add — no UPDATE, DELETE, TRUNCATE, no disabling
of the trigger, no ALTER."""

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import require

pytestmark = [pytest.mark.services]


@pytest.fixture
def app_role(committed_demo):
    require(connection.vendor == "postgresql", "needs the PostgreSQL test database")
    db = connection.settings_dict
    role = f"{db['NAME']}_app"  # roles are cluster-wide: named after this suite's own database
    with connection.cursor() as cursor:
        if _exists(cursor, role):  # left by an interrupted run
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    call_command("grant_app_role", role, stdout=io.StringIO())
    url = f"postgresql://{role}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with psycopg.connect(url, autocommit=True) as app:
        yield app
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _exists(cursor, role) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def refused(app, sql):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute(sql)


def test_the_app_role_adds_to_the_audit_log_but_cannot_change_it(app_role):
    app = app_role
    app.execute("INSERT INTO oit_items_auditevent (at, actor_name, unit_id, action, comment, details) "
                "SELECT now(), 'ทดสอบ', id, 'upload', '', '{}' FROM units_unit LIMIT 1")
    [count] = app.execute("SELECT count(*) FROM oit_items_auditevent").fetchone()
    assert count >= 1
    refused(app, "UPDATE oit_items_auditevent SET comment = 'rewritten'")
    refused(app, "DELETE FROM oit_items_auditevent")
    refused(app, "TRUNCATE oit_items_auditevent")
    refused(app, "ALTER TABLE oit_items_auditevent DISABLE TRIGGER oit_items_auditevent_append_only")
    refused(app, "ALTER TABLE oit_items_auditevent ADD COLUMN x int")
    refused(app, "DROP TABLE oit_items_auditevent")
    # …while the rest of the portal's tables are the application's to read and write.
    app.execute("UPDATE units_unit SET phone = phone WHERE slug = 'sn-buengkum'")
    [units] = app.execute("SELECT count(*) FROM units_unit").fetchone()
    assert units > 0


def test_a_role_that_owns_the_tables_is_refused(committed_demo):
    require(connection.vendor == "postgresql", "needs the PostgreSQL test database")
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="superuser|owner"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=io.StringIO())
