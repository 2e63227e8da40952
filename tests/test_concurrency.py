"""Two people at once on PostgreSQL, two real connections (threads), through the real views: every
lost-update case of issue 11, each tried several times. Nothing lost, no 500, no orphan file.

Each try: two officers opened the same form (the same version) and press save at the same moment
(a barrier); the service is slowed inside its critical section so that the two overlap for real.
"""

import datetime
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import AuditEvent, Evidence, Revision
from oit_items.evidence.permissions import period_of
from oit_items.rulebook.models import Item
from reports.models import OperationsReport, Photo
from tests.conftest import make_pdf, require
from tests.together import errors_of, run_together
from units.models import Unit

pytestmark = [pytest.mark.services]

TRIES = 6
OCT = datetime.date(2023, 10, 1)
UPLOAD = "/staff/units/sn-buengkum/ita/2567/o7/m10/upload/"
observed = {}  # case -> Counter of outcomes, printed at the end of the module (-s) for the report


@pytest.fixture
def pg(committed_demo, monkeypatch):
    require(connection.vendor == "postgresql", "two connections need PostgreSQL")
    store = evidence_service._store_revision

    def slow_store(*args, **kwargs):  # widens the window in which two changes overlap
        time.sleep(0.15)
        return store(*args, **kwargs)

    monkeypatch.setattr(evidence_service, "_store_revision", slow_store)
    record = evidence_service.audit.record

    def slow_record(*args, **kwargs):
        time.sleep(0.1)
        return record(*args, **kwargs)

    monkeypatch.setattr(evidence_service.audit, "record", slow_record)


def user(name):
    return get_user_model().objects.get(username=name)


def at_once(*requests):
    """Run each (username, callable(client)) in its own thread and connection; their responses."""
    clients = []
    for username, _send in requests:
        client = Client(raise_request_exception=False)
        client.force_login(user(username))
        clients.append(client)
    return run_together(*[lambda c=c, send=send: send(c) for c, (_name, send) in zip(clients, requests)])


def codes(responses) -> list:
    return sorted(getattr(r, "status_code", repr(r)) for r in responses)


def fresh_evidence(title="รายงาน ต.ค.", description="ฉบับแรก") -> Evidence:
    station = Unit.objects.get(slug="sn-buengkum")
    period = period_of(station, Item.objects.for_unit(station, 2567).get(code="O7"), OCT)
    [piece] = evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("รายงาน.pdf", make_pdf()))],
                                         {"about_date": OCT, "title": title, "description": description},
                                         user("bk-responsible"))
    return Evidence.objects.get(pk=piece.pk)


def edit_post(piece, **changes):
    data = {"title": piece.title, "description": piece.description, "about_date": "1/10/2566", "language": "th",
            "version": piece.version, **changes}
    return lambda client: client.post(reverse("evidence-edit", args=[piece.pk]), data)


def no_orphans(media_root):
    """Every stored file is named by the database, and every name the database holds is stored."""
    on_disk = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()} if media_root.exists() else set()
    named = set()
    for revision in Revision.objects.all():
        named |= {revision.file.name} | ({revision.thumbnail.name} if revision.thumbnail else set())
    for photo in Photo.objects.all():
        named |= {photo.file.name} | ({photo.thumbnail.name} if photo.thumbnail else set())
    return on_disk == named


def test_two_editors_of_different_fields(pg, media_root):
    outcomes = Counter()
    for _ in range(TRIES):
        piece = fresh_evidence()
        first, second = at_once(("bk-admin", edit_post(piece, title="ชื่อจากผู้ดูแล")),
                                ("bk-responsible", edit_post(piece, description="คำอธิบายจากผู้รับผิดชอบ")))
        assert codes([first, second]) == [302, 409]
        loser = first if first.status_code == 409 else second
        form = loser.context["form"]
        client = Client()
        client.force_login(user("bk-responsible"))
        client.post(reverse("evidence-edit", args=[piece.pk]),
                    {k: form[k].value() for k in ("title", "description", "about_date", "language", "version")})
        saved = Evidence.objects.get(pk=piece.pk)
        kept = (saved.title, saved.description) == ("ชื่อจากผู้ดูแล", "คำอธิบายจากผู้รับผิดชอบ")
        outcomes["both changes kept" if kept else "a change lost"] += 1
    observed["edit + edit"] = outcomes
    assert outcomes == {"both changes kept": TRIES}
    assert no_orphans(media_root)


def test_an_edit_during_a_removal(pg, media_root):
    outcomes = Counter()
    for _ in range(TRIES):
        piece = fresh_evidence()
        remove = lambda client, pk=piece.pk, v=piece.version: client.post(  # noqa: E731
            reverse("evidence-remove", args=[pk]), {"reason": "ซ้ำ", "version": v})
        responses = at_once(("bk-admin", remove), ("bk-responsible", edit_post(piece, title="ชื่อใหม่")))
        assert codes(responses) == [302, 409]
        saved = Evidence.objects.get(pk=piece.pk)
        logged_removed = AuditEvent.objects.filter(evidence=saved, action="remove").exists()
        assert logged_removed == (saved.removed_at is not None)  # the log and the item agree
        outcomes["removed" if saved.removed_at else "edited, removal asked again"] += 1
    observed["edit + remove"] = outcomes
    assert sum(outcomes.values()) == TRIES
    assert no_orphans(media_root)


def test_an_edit_during_a_replacement(pg, media_root):
    outcomes = Counter()
    for n in range(TRIES):
        piece = fresh_evidence()
        replace = lambda client, pk=piece.pk, v=piece.version, n=n: client.post(  # noqa: E731
            reverse("evidence-replace", args=[pk]), {"file": SimpleUploadedFile(f"ฉบับใหม่ {n}.pdf", make_pdf()), "version": v})
        responses = at_once(("bk-admin", replace), ("bk-responsible", edit_post(piece, title="ชื่อใหม่")))
        assert codes(responses) == [302, 409]
        saved = Evidence.objects.get(pk=piece.pk)
        newest = saved.revisions.order_by("-number").first()
        assert saved.current_revision_id == newest.pk  # never an older file left current
        outcomes["replaced" if newest.number == 2 else "edited, replacement asked again"] += 1
    observed["edit + replace"] = outcomes
    assert no_orphans(media_root)


def test_two_replacements_at_once(pg, media_root):
    outcomes = Counter()
    for n in range(TRIES):
        piece = fresh_evidence()

        def replace(name, pk=piece.pk, v=piece.version):
            return lambda client: client.post(reverse("evidence-replace", args=[pk]),
                                              {"file": SimpleUploadedFile(name, make_pdf()), "version": v})

        responses = at_once(("bk-admin", replace(f"ก {n}.pdf")), ("bk-responsible", replace(f"ข {n}.pdf")))
        outcomes.update(str(c) for c in codes(responses))
        assert codes(responses) == [302, 409]
        assert list(Revision.objects.filter(evidence=piece).order_by("number").values_list("number", flat=True)) == [1, 2]
    observed["replace + replace"] = outcomes
    assert no_orphans(media_root)


def test_two_replacements_without_versions_take_turns(pg, media_root):
    """Internal callers (a render job asked twice) send no version: both go in, numbered in turn."""
    piece = fresh_evidence()
    admin = user("bk-admin")

    def replace(name):
        upload = validate_upload(SimpleUploadedFile(name, make_pdf()))
        return lambda: evidence_service.replace_file(Evidence.objects.get(pk=piece.pk), upload, admin)

    assert errors_of(run_together(replace("ก.pdf"), replace("ข.pdf"))) == []
    assert list(Revision.objects.filter(evidence=piece).order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert Evidence.objects.get(pk=piece.pk).current_revision.number == 3
    assert no_orphans(media_root)


def test_the_same_file_uploaded_twice_at_once(pg, media_root):
    outcomes = Counter()
    for n in range(TRIES):
        pdf = make_pdf(marker=f"same-{n}")
        month = (10, 11, 12, 1, 2, 3)[n]
        upload = lambda client, pdf=pdf, month=month: client.post(  # noqa: E731
            f"/staff/units/sn-buengkum/ita/2567/o7/m{month}/upload/",
            {"about_date": "15/10/2566", "language": "th", "files": [SimpleUploadedFile("รายงาน.pdf", pdf)]})
        responses = at_once(("bk-admin", upload), ("bk-responsible", upload))
        outcomes.update(str(c) for c in codes(responses))
        assert codes(responses) == [302, 409]
        assert Evidence.objects.filter(item_period__month__month=month, removed_at__isnull=True).count() == 1
    observed["same file + same file"] = outcomes
    assert no_orphans(media_root)


def test_two_saves_of_a_months_report_data(pg, media_root):
    from tests.test_reports_support import edit_url, formset

    outcomes = Counter()
    for n, period in enumerate(("m11", "m12", "m1")):
        def save(summary, token):
            return lambda client: client.post(edit_url("operations", period), {
                "summary": summary, "_version": token, **formset("activities", []), **formset("photos", [])})

        # The month has no data yet (version 0): both create it at once — no IntegrityError.
        responses = at_once(("bk-admin", save("สรุปของผู้ดูแล", "0")), ("bk-responsible", save("สรุปของผู้รับผิดชอบ", "0")))
        outcomes.update(f"new month {c}" for c in codes(responses))
        assert codes(responses) == [302, 409]
        loser = next(r for r in responses if r.status_code == 409)
        body = loser.content.decode()
        assert "บันทึกข้อมูลของเดือนนี้" in body and "สรุปของ" in body  # who saved, and what is saved now
        # It exists now (version 1): two more saves from that version.
        responses = at_once(("bk-admin", save("แก้ไขโดยผู้ดูแล", "1")), ("bk-responsible", save("แก้ไขโดยผู้รับผิดชอบ", "1")))
        outcomes.update(f"existing {c}" for c in codes(responses))
        assert codes(responses) == [302, 409]
        report = OperationsReport.objects.get(unit__slug="sn-buengkum", month__month=int(period[1:]))
        assert report.version == 2 and report.summary in ("แก้ไขโดยผู้ดูแล", "แก้ไขโดยผู้รับผิดชอบ")
        loser = next(r for r in responses if r.status_code == 409)
        assert report.summary in loser.content.decode()  # the saved text is shown beside their own
        assert loser.context["editor"].version_token == "2"
    observed["report data + report data"] = outcomes
    assert no_orphans(media_root)


def teardown_module(module):
    for case, outcomes in observed.items():
        print(f"\nconcurrency {case}: {dict(outcomes)} in {sum(outcomes.values())} outcomes", end="")
