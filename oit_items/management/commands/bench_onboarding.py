"""`manage.py bench_onboarding`: a national rollout on a database of its own (it is emptied first).

1. Writes a national import workbook — 1,645 units (1,484 police stations and 80 immigration
   units under 81 supervising units), 12,000 officers, 8,000 logins with their roles — and times
   the dry run, the apply (one transaction) and the invitations, then a second import of the same
   file (it must change nothing).
2. Gives every station and immigration unit its FY2567 assignments (~39,000, set-up, not timed)
   and times the clone into the next fiscal year, with its number of queries.

scripts/bench.sh runs it on ONBOARDING_BENCH_DATABASE_URL (default: bench-onboarding.sqlite3).
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from oit_items.evidence.models import Assignment
from oit_items.rulebook import loading
from oit_items.rulebook.models import Framework, Item
from units import reference
from units.models import LineOfWork, Officer, Unit, UnitType
from units.onboarding import columns, jobs

RANKS = ["พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.", "ด.ต.", "จ.ส.ต.", "ส.ต.อ."]
ROLES = ["admin", "responsible", "controller", "commander", "viewer"]


def national_rows(stations=1484, immigration=80, officers=12000, users=8000) -> dict:
    units = [{"slug": "rtp", "type": "national", "name_th": "สำนักงานตำรวจแห่งชาติ", "short_name_th": "ตร."},
             {"slug": "imm", "parent": "rtp", "type": "bureau", "name_th": "สำนักงานตรวจคนเข้าเมือง"}]
    units += [{"slug": f"b{b}", "parent": "rtp", "type": "bureau", "name_th": f"ตำรวจภูธรภาค {b}"} for b in range(1, 10)]
    divisions = [f"d{b}-{d}" for b in range(1, 10) for d in range(1, 8)][:62]
    units += [{"slug": s, "parent": s.split("-")[0].replace("d", "b"), "type": "division", "name_th": f"ตำรวจภูธรจังหวัด {s}"} for s in divisions]
    units += [{"slug": f"imm-d{d}", "parent": "imm", "type": "division", "name_th": f"กองบังคับการตรวจคนเข้าเมือง {d}"} for d in range(1, 9)]
    publishing = []
    for n in range(stations):
        publishing.append({"slug": f"sn-{n}", "parent": divisions[n % len(divisions)], "type": "police_station",
                           "name_th": f"สถานีตำรวจภูธรทดสอบ {n}", "phone": f"0 {n:04d} 1234", "email": f"sn{n}@police.go.th",
                           "website": f"https://sn{n}.police.go.th", "latitude": f"{13 + n % 700 / 100:.4f}",
                           "longitude": f"{100 + n % 500 / 100:.4f}"})
    for n in range(immigration):
        publishing.append({"slug": f"imm-{n}", "parent": f"imm-d{n % 8 + 1}", "type": "immigration_unit",
                           "name_th": f"ตรวจคนเข้าเมืองจังหวัดทดสอบ {n}"})
    lines = {"police_station": ["อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน"],
             "immigration_unit": ["สืบสวนปราบปราม", "บริการคนต่างด้าว", "ตรวจบุคคลและพาหนะ", "อำนวยการ/ธุรการ"]}
    people, logins = [], []
    for n in range(officers):
        unit = publishing[n % len(publishing)]
        people.append({"key": f"o-{n}", "unit": unit["slug"], "rank": ("ว่าที่ " if n % 17 == 0 else "") + RANKS[n % len(RANKS)]
                       + ("หญิง" if n % 5 == 0 else ""), "first_name": f"ชื่อ{n}", "last_name": f"นามสกุล{n}",
                       "position": "เจ้าหน้าที่", "line_of_work": lines[unit["type"]][n % len(lines[unit["type"]])],
                       "email": f"o{n}@police.go.th"})
        if n < users:
            logins.append({"username": f"u-{n}", "unit": unit["slug"], "role": ROLES[(n // len(publishing)) % len(ROLES)],
                           "officer": f"o-{n}"})
    for unit, officer in zip(publishing, people):
        unit["head"] = officer["key"]
    return {"units": units + publishing, "officers": people, "users": logins}


class Command(BaseCommand):
    help = "Time a national spreadsheet import and the national clone on a database of its own (emptied first)."

    def handle(self, *args, **options):
        if "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("bench_onboarding empties its database: give it one whose name contains 'bench'.")
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        reference.ensure(UnitType, LineOfWork)
        call_command("load_frameworks", verbosity=0, stdout=open("/dev/null", "w"))
        rows = national_rows()
        started = time.perf_counter()
        workbook = [("national.xlsx", columns.workbook(rows))]
        written = time.perf_counter() - started
        self.stdout.write(f"onboarding benchmark ({connection.vendor}): {len(rows['units'])} units, "
                          f"{len(rows['officers'])} officers, {len(rows['users'])} logins; workbook {len(workbook[0][1]) / 1e6:.1f} MB "
                          f"written in {written:.1f} s")
        self.import_times(workbook)
        self.clone_time()

    def import_times(self, workbook):
        started = time.perf_counter()
        check, _none = jobs.run(workbook)
        checked = time.perf_counter()
        if check.refused:
            raise CommandError("refused rows: " + "; ".join(e for r in check.results for e in r.errors)[:2000])
        with transaction.atomic():  # the invitations go out when this commits: timed apart
            counts = jobs.applying.apply(check)
            applied = time.perf_counter()
        sent = time.perf_counter()
        again, _none = jobs.run(workbook)
        second = time.perf_counter()
        self.stdout.write(f"  dry run (read + check)       {checked - started:7.1f} s   {check.summary['create']} rows to create")
        self.stdout.write(f"  apply (one transaction)      {applied - checked:7.1f} s   {counts}")
        self.stdout.write(f"  invitations sent             {sent - applied:7.1f} s")
        # What the person importing waits for: the check, the apply and the invitations sent at commit.
        self.stdout.write(f"  national import, total       {sent - started:7.1f} s   (aim: at most 120 s)")
        self.stdout.write(f"  second import (dry run)      {second - sent:7.1f} s   "
                          f"{again.summary['unchanged']} unchanged, {again.summary['create'] + again.summary['update']} changes")

    def clone_time(self):
        with transaction.atomic():
            for framework in Framework.objects.filter(fiscal_year=2567):
                items = list(framework.items.filter(retired=False))
                units = Unit.objects.filter(unit_type=framework.unit_type)
                Assignment.objects.bulk_create((Assignment(unit=u, item=i) for u in units for i in items), batch_size=5000)
            first = {}
            for officer_id, unit_id in Officer.objects.values_list("pk", "unit_id").order_by("pk"):
                first.setdefault(unit_id, []).append(officer_id)
            through_r, through_c = Assignment.responsible.through, Assignment.controllers.through
            rows = Assignment.objects.filter(item__framework__fiscal_year=2567).values_list("pk", "unit_id")
            through_r.objects.bulk_create((through_r(assignment_id=a, officer_id=first[u][0]) for a, u in rows if u in first), batch_size=5000)
            through_c.objects.bulk_create((through_c(assignment_id=a, officer_id=first[u][-1]) for a, u in rows if u in first), batch_size=5000)
        total = Assignment.objects.filter(item__framework__fiscal_year=2567).count()
        connection.queries_log.clear()  # DEBUG keeps the last 9,000 queries: count from empty
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            clones = [framework.clone_to(2568, provisional=True) for framework in Framework.objects.filter(fiscal_year=2567)]
        copied = time.perf_counter()
        for clone in clones:  # what the year's job does once the copy is committed: search, readiness, pages
            loading.framework_added(clone)
        elapsed = time.perf_counter() - started
        cloned = Assignment.objects.filter(item__framework__fiscal_year=2568).count()
        items = Item.objects.filter(framework__fiscal_year=2568).count()
        self.stdout.write(f"  national clone 2567 → 2568   {elapsed:7.1f} s   {cloned} of {total} assignments, {items} items, "
                          f"{len(queries)} queries in the copy itself ({copied - started:.1f} s), then what follows it "
                          f"({elapsed - (copied - started):.1f} s) (aim: at most 15 s)")
