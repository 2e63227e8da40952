"""Give the application's database role what it needs, and not the power to rewrite the audit log.

The tables belong to an *owner* role that only migrations use; the portal connects as an *app* role
that may read and write the tables but on the audit log only SELECT and INSERT: no UPDATE, DELETE,
TRUNCATE, and — not being the owner — no ALTER TABLE or DISABLE TRIGGER either. Run it as the owner
after each `migrate` (idempotent):

    DATABASE_URL=postgres://ita_owner@db/ita manage.py migrate
    DATABASE_URL=postgres://ita_owner@db/ita manage.py grant_app_role ita_app
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

AUDIT_TABLE = "oit_items_auditevent"


class Command(BaseCommand):
    help = "Grant the application role its privileges (PostgreSQL), append-only on the audit log."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the portal connects as (not the tables' owner)")

    def handle(self, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants are PostgreSQL's; this database is not.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLE])
            [owner] = cursor.fetchone()
            cursor.execute("SELECT rolsuper, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                           [role, owner, role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"There is no role {role}: CREATE ROLE {role} LOGIN PASSWORD '…' first.")
            if found[0] or found[1]:
                raise CommandError(f"{role} is a superuser or a member of the owner {owner}: it could rewrite the audit log.")
            name = connection.ops.quote_name(role)
            for statement in (
                f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {name}",
                f"GRANT USAGE ON SCHEMA public TO {name}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
                f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {AUDIT_TABLE} FROM {name}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_TABLE} FROM PUBLIC",
            ):
                cursor.execute(statement)
        self.stdout.write(f"{role}: read and write on every table; on {AUDIT_TABLE} only SELECT and INSERT.")
