"""The national tree for `make bench SCALE=national`, seeded in bulk with PostgreSQL's COPY.

Around the demo units (ตร. → บช.น. → บก.น.4 → สน.บึงกุ่ม, สตม. → บก.ตม.4 → ตม.จว.บึงกาฬ): 1,484
police stations under the metropolitan bureau and nine provincial regions, 80 immigration units
under six divisions, and a year of evidence — every unit more or less diligent, periods in every
state, about three files per period, approved snapshots, one audit event per period. Two
stations get every period approved: `bench-normal` with 3 files a period, `bench-heavy` with 10.
Rows get their ids here, so that snapshots can name their evidence before anything is written.
Once readiness is rebuilt, `seed_scores` adds every unit's predicted verdicts and score, this year
and the year before, for the overview's scores and trend.
"""

import datetime
import hashlib
import json
import random
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.assessment.models import HAS, HASNT, ItemVerdict, UnitScore
from oit_items.evidence.models import ItemReadiness
from oit_items.rulebook.models import Framework, Item
from units.models import Unit, UnitType

FISCAL_YEAR = 2567
PREVIOUS_YEAR = FISCAL_YEAR - 1
POLICE_STATIONS, IMMIGRATION_UNITS = 1484, 80
METRO_STATIONS = 88
FORMATS = [("pdf", "pdf", "application/pdf"), ("docx", "docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
           ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           ("image", "jpg", "image/jpeg")]


class Ids:
    """Hands out ids above what a table holds; the sequences are moved past them at the end."""

    def __init__(self, table):
        self.table = table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), %s)", [self.next])


def copy(table, columns, rows) -> int:
    """COPY the rows; a NOT NULL column the seed does not name gets its model default (the default is
    Django's, not the database's: without this every new column would break the bench)."""
    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in model._meta.concrete_fields
                if not f.null and not f.primary_key and f.column not in columns}
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join([*columns, *defaults])}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row((*row, *defaults.values()))
    return len(rows)


def _units(types) -> list[dict]:
    """The tree below the demo units, as rows with ids and paths."""
    ids = Ids("units_unit")
    existing = {u.slug: u for u in Unit.objects.all()}
    rows, publishing = [], []

    def add(slug, type_code, parent_path, parent_id, name, short):
        unit_id = ids.take()
        row = {"id": unit_id, "slug": slug, "unit_type_id": types[type_code].pk, "parent_id": parent_id,
               "path": f"{parent_path}{unit_id}/", "name_th": name, "short_name_th": short}
        rows.append(row)
        return row

    def station(parent, n, police):
        kind = "police_station" if police else "immigration_unit"
        prefix = ("สน." if parent["slug"].startswith("mpd") else "สภ.") if police else "ตม.จว."
        row = add(f"{'sn' if police else 'imm'}-{n}", kind, parent["path"], parent["id"],
                  f"{'สถานีตำรวจ' if police else 'ตรวจคนเข้าเมือง'}ทดสอบที่ {n}", f"{prefix}ทดสอบ {n}")
        publishing.append(row)

    def known(slug):
        unit = existing[slug]
        return {"id": unit.pk, "path": unit.path, "slug": slug}

    rtp, mpb, imm = known("rtp"), known("mpb"), known("imm-bureau")
    metro = [known("mpd-4") if n == 4 else add(f"mpd-{n}", "division", mpb["path"], mpb["id"],
                                                f"กองบังคับการตำรวจนครบาล {n}", f"บก.น.{n}") for n in range(1, 10)]
    provinces = []
    for region in range(1, 10):
        bureau = add(f"pr-{region}", "bureau", rtp["path"], rtp["id"], f"ตำรวจภูธรภาค {region}", f"ภ.{region}")
        provinces += [add(f"pr-{region}-{p}", "division", bureau["path"], bureau["id"],
                          f"ตำรวจภูธรจังหวัดทดสอบ {region}.{p}", f"ภ.จว.{region}.{p}") for p in range(1, 9 if region < 9 else 13)]
    n = 0
    for i in range(METRO_STATIONS - 1):  # สน.บึงกุ่ม is one of them
        n += 1
        station(metro[i % len(metro)], n, True)
    for i in range(POLICE_STATIONS - METRO_STATIONS):
        n += 1
        station(provinces[i % len(provinces)], n, True)
    divisions = [known("imm-div-4") if d == 4 else add(f"imm-div-{d}", "division", imm["path"], imm["id"],
                                                       f"กองบังคับการตรวจคนเข้าเมือง {d}", f"บก.ตม.{d}") for d in range(1, 7)]
    for i in range(IMMIGRATION_UNITS - 1):
        station(divisions[i % len(divisions)], i + 1, False)
    publishing[0]["slug"], publishing[1]["slug"] = "bench-heavy", "bench-normal"
    copy("units_unit", ["id", "slug", "unit_type_id", "parent_id", "path", "name_th", "name_en", "short_name_th",
                        "short_name_en", "address", "phone", "email", "website", "social_links", "emblem"],
         [(r["id"], r["slug"], r["unit_type_id"], r["parent_id"], r["path"], r["name_th"], "", r["short_name_th"], "",
           "", "", "", "", "[]", "") for r in rows])
    ids.finish()
    return publishing


def _people(units, now) -> dict:
    """One admin and one commander per seeded unit (login, officer with a phone, role): the overview's
    contacts. Returns {unit id: the admin's user id}, who does the unit's work below."""
    users, officers, roles = Ids("auth_user"), Ids("units_officer"), Ids("units_role")
    user_rows, officer_rows, role_rows, admins = [], [], [], {}
    for unit in units:
        for role, rank, first_name, position, phone in (
                ("admin", "ร.ต.อ.", "ผู้ดูแล", "ผู้ดูแลระบบ", f"02 000 {unit['id'] % 10000:04d}"),
                ("commander", "พ.ต.อ.", "ผู้กำกับ", "ผู้กำกับการ", f"08 100 {unit['id'] % 10000:04d}")):
            user_id = users.take()
            if role == "admin":
                admins[unit["id"]] = user_id
            user_rows.append((user_id, "!", False, f"{role}-{unit['slug']}", "", "",
                              f"{role}@{unit['slug']}.example.go.th", False, True, now))
            officer_rows.append((officers.take(), unit["id"], user_id, rank, False, False, first_name, unit["slug"], "",
                                 "", position, phone, "", "[]", True))
            role_rows.append((roles.take(), user_id, unit["id"], role, now))
    copy("auth_user", ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
                       "is_active", "date_joined"], user_rows)
    copy("units_officer", ["id", "unit_id", "user_id", "rank", "is_female", "is_acting", "first_name", "last_name",
                           "first_name_en", "last_name_en", "position", "phone", "photo", "aliases", "is_active"],
         officer_rows)
    copy("units_role", ["id", "user_id", "unit_id", "role", "created_at"], role_rows)
    for ids in (users, officers, roles):
        ids.finish()
    return admins


def _plan(rnd, diligence):
    """The state of one period (None: nothing done yet) and how many pieces of evidence it has."""
    r = rnd.random()
    for state, share in (("approved", 0.85 * diligence), ("checked", 0.05), ("submitted", 0.05), ("returned", 0.03),
                         ("draft", 0.08)):
        if r < share:
            return state, rnd.choice((1, 2, 3, 3, 4, 5))
        r -= share
    return None, 0


LAST_ACTION = {"approved": "approve", "checked": "check", "submitted": "submit", "returned": "return", "draft": "upload"}


def _evidence(units, admins, now, rnd) -> dict:
    items = {}
    for item in Item.objects.filter(framework__fiscal_year=FISCAL_YEAR, retired=False).select_related("framework"):
        items.setdefault(item.framework.unit_type_id, []).append(item)
    period_ids, evidence_ids, revision_ids, event_ids = (Ids("oit_items_itemperiod"), Ids("oit_items_evidence"),
                                                        Ids("oit_items_revision"), Ids("oit_items_auditevent"))
    periods, evidence, revisions, events, indexed = [], [], [], [], []
    published_units = set()
    for unit in units:
        heavy, normal = unit["slug"] == "bench-heavy", unit["slug"] == "bench-normal"
        diligence = 1.0 if heavy or normal else rnd.betavariate(2.5, 1.5)
        user_id = admins[unit["id"]]
        for item in items[unit["unit_type_id"]]:
            months = thaidate.fiscal_year_months(FISCAL_YEAR, item.months) if item.months else [None]
            for month in months:
                state, count = ("approved", 10 if heavy else 3) if heavy or normal else _plan(rnd, diligence)
                if state is None:
                    continue
                period_id, at = period_ids.take(), now - datetime.timedelta(minutes=rnd.randrange(60 * 24 * 300))
                snapshots = []
                for n in range(count):
                    evidence_id, revision_id = evidence_ids.take(), revision_ids.take()
                    fmt, extension, content_type = FORMATS[n % len(FORMATS)] if item.is_monthly else FORMATS[0]
                    about = month or datetime.date(2023, 10 + n % 3, 1 + n)
                    title = f"{item.code} เอกสารหลักฐาน {n + 1}"
                    name = f"{title}.{extension}"
                    size = rnd.randrange(40_000, 4_000_000)
                    digest = hashlib.sha256(f"{revision_id}".encode()).hexdigest()
                    evidence.append((evidence_id, period_id, "file", title, "", about, "th", False, "", "", revision_id,
                                     user_id, at))
                    revisions.append((revision_id, evidence_id, 1, f"bench/{digest[:2]}/{digest}.{extension}", name, extension,
                                      fmt, content_type, size, digest, 3 if fmt == "pdf" else None, "", user_id, at))
                    snapshots.append({"evidence": evidence_id, "kind": "file", "title": title, "description": "",
                                      "about_date": about.isoformat(), "language": "th", "is_news": False, "url": "",
                                      "reason": "", "revision": revision_id, "format": fmt, "extension": extension,
                                      "size": size, "original_name": name})
                approved = state == "approved"
                periods.append((period_id, unit["id"], item.pk, month, state, json.dumps(snapshots if approved else [],
                                ensure_ascii=False), int(approved), at if approved else None, None, at))
                events.append((event_ids.take(), at, user_id, "ผู้ดูแลระบบ", unit["id"], period_id, LAST_ACTION[state], "",
                               "{}"))
                if approved:
                    published_units.add(unit["id"])
                    indexed.append((unit["id"], item.pk, month, snapshots))
    copy("oit_items_itemperiod", ["id", "unit_id", "item_id", "month", "state", "published", "published_version",
                                  "approved_at", "approved_by_id", "updated_at"], periods)
    copy("oit_items_evidence", ["id", "item_period_id", "kind", "title", "description", "about_date", "language",
                                "is_news", "url", "reason", "current_revision_id", "created_by_id", "created_at"], evidence)
    copy("oit_items_revision", ["id", "evidence_id", "number", "file", "original_name", "extension", "format",
                                "content_type", "size", "sha256", "page_count", "thumbnail", "created_by_id", "created_at"],
         revisions)
    copy("oit_items_auditevent", ["id", "at", "actor_id", "actor_name", "unit_id", "item_period_id", "action", "comment",
                                  "details"], events)
    for ids in (period_ids, evidence_ids, revision_ids, event_ids):
        ids.finish()
    Unit.objects.filter(pk__in=published_units).update(published_at=now)
    _search_index(indexed, published_units, now)
    return {"periods": len(periods), "evidence": len(evidence)}


def _search_index(indexed, published_units, now):
    """Every approved snapshot's search entries, as search.rebuild() makes them (the seed's titles
    repeat, so each distinct text is analysed once), and the index state of the stamp just given."""
    # Imported here, not at the top: only the bench's seed needs the Thai analyser, the overview does not.
    from oit_items.public import search

    analysed, ids, rows = {}, Ids("oit_items_searchentry"), []
    for unit_id, item_id, month, snapshots in indexed:
        for e in snapshots:
            body = e["title"] + "\n" + e["original_name"]
            if body not in analysed:
                analysed[body] = search.analyse(body)
            a = analysed[body]
            rows.append((ids.take(), item_id, unit_id, month, e["kind"], e["revision"], "", e["title"], body, a["text"],
                         json.dumps(a["starts"]), json.dumps(a["ends"]), json.dumps(a["prefix_ends"]), ""))
    copy("oit_items_searchentry", ["id", "item_id", "unit_id", "month", "kind", "revision", "url", "title", "body", "text",
                                   "starts", "ends", "prefix_ends", "source"], rows)
    ids.finish()
    states = Ids("oit_items_searchindexstate")
    copy("oit_items_searchindexstate", ["id", "unit_id", "stamp", "built_at"],
         [(states.take(), unit_id, search.index_stamp(now), now) for unit_id in sorted(published_units)])
    states.finish()


@transaction.atomic
def seed() -> dict:
    if connection.vendor != "postgresql":
        raise RuntimeError("the national bench needs PostgreSQL (BENCH_DATABASE_URL)")
    rnd, now = random.Random(FISCAL_YEAR), timezone.now()
    types = {t.code: t for t in UnitType.objects.all()}
    units = _units(types)
    admins = _people(units, now)
    counts = _evidence(units, admins, now, rnd)  # the demo units keep their demo data
    return {"units": Unit.objects.count(), "publishing": Unit.objects.filter(unit_type__publishes_oit=True).count(),
            **counts}



@transaction.atomic
def seed_scores() -> dict:
    """The predicted verdict of every item and the predicted score of every publishing unit, for
    FISCAL_YEAR and the year before. Derived in bulk from the stored readiness (so: after
    `readiness.rebuild()`), not computed item by item the way the assessment does it — that would
    make the seed slow, and the bench measures who reads these rows, not who writes them: an item
    that is `ready` → "has", else "hasn't"; the score is the points of the items it has out of all.
    The seed holds no evidence for the year before: its framework is a copy of this year's, and a
    unit had there what it has now, less about one item in three (units improve) — enough for the
    overview's trend. COPYed like the rest of the seed."""
    now = timezone.now()
    # The demo units were scored by load_demo: the seed's rows replace them, all of one kind.
    ItemVerdict.objects.filter(fiscal_year__in=(FISCAL_YEAR, PREVIOUS_YEAR)).delete()
    UnitScore.objects.filter(fiscal_year__in=(FISCAL_YEAR, PREVIOUS_YEAR)).delete()
    for framework in Framework.objects.filter(fiscal_year=FISCAL_YEAR):
        framework.clone_to(PREVIOUS_YEAR)  # idempotent; its items are matched to this year's by code
    items = defaultdict(list)
    for item in Item.objects.filter(framework__fiscal_year__in=(FISCAL_YEAR, PREVIOUS_YEAR), retired=False).select_related(
            "framework").order_by("number"):
        items[(item.framework.unit_type_id, item.framework.fiscal_year)].append(item)
    code_of = {i.pk: i.code for found in items.values() for i in found}
    points = {i.pk: i.points for found in items.values() for i in found}
    pass_marks = {key: found[0].framework.pass_mark for key, found in items.items()}
    ready = {(unit_id, code_of[item_id]) for unit_id, item_id in ItemReadiness.objects.filter(
        fiscal_year=FISCAL_YEAR, ready=True).values_list("unit_id", "item_id") if item_id in code_of}
    reason = json.dumps([{"reason": "ยังไม่พร้อมให้ผู้ประเมินตรวจ", "next_step": "", "holder": ""}], ensure_ascii=False)
    verdict_ids, score_ids = Ids("assessment_itemverdict"), Ids("assessment_unitscore")
    verdicts, scores = [], []
    for unit_id, type_id in Unit.objects.filter(unit_type__publishes_oit=True).values_list("id", "unit_type_id"):
        for year in (FISCAL_YEAR, PREVIOUS_YEAR):
            found = items.get((type_id, year), [])
            if not found:
                continue
            has = total = count = 0
            for item in found:
                got = (unit_id, item.code) in ready and (year == FISCAL_YEAR or (unit_id + item.number) % 3 != 0)
                verdicts.append((verdict_ids.take(), unit_id, item.pk, year, HAS if got else HASNT, points[item.pk],
                                 "[]" if got else reason, now))
                total += points[item.pk]
                has += points[item.pk] if got else 0
                count += got
            score = (Decimal(100 * has) / total).quantize(Decimal("0.01")) if total else Decimal(0)
            scores.append((score_ids.take(), unit_id, year, score, pass_marks[(type_id, year)], len(found), count, now))
    copy("assessment_itemverdict", ["id", "unit_id", "item_id", "fiscal_year", "verdict", "points", "reasons",
                                    "computed_at"], verdicts)
    copy("assessment_unitscore", ["id", "unit_id", "fiscal_year", "score", "pass_mark", "items", "items_has",
                                  "computed_at"], scores)
    verdict_ids.finish()
    score_ids.finish()
    return {"verdicts": len(verdicts), "scores": len(scores)}
