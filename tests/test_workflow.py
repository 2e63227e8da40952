import datetime
import sys

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import notifications, readiness, workflow
from oit_items.evidence.models import AppendOnly, Assignment, AuditEvent, Evidence, ItemPeriod, ItemReadinessManager
from oit_items.evidence.permissions import item_access, period_of
from tests.conftest import make_docx, make_pdf
from units.permissions import unit_access

OCT = datetime.date(2023, 10, 1)


def rights_of(user, station, item):
    return item_access(user, unit_access(user, station), Assignment.objects.get(unit=station, item=item))


def validated(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return validate_upload(SimpleUploadedFile(name, content))


@pytest.fixture
def drafted(users, station, o7):
    period = period_of(station, o7, OCT)
    evidence_service.add_files(period, [validated("ต.ค.pdf", make_pdf()), validated("ต.ค.docx", make_docx())],
                               {"about_date": OCT}, users["responsible"])
    return period


def step(period, action, user, station, item, comment=""):
    return workflow.transition(period, action, user, rights_of(user, station, item), comment)


def test_the_happy_path_publishes_a_snapshot(drafted, users, station, o7, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        step(drafted, "submit", users["responsible"], station, o7)
        step(drafted, "check", users["controller"], station, o7)
        period = step(drafted, "approve", users["commander"], station, o7)
    assert period.state == ItemPeriod.APPROVED and period.published_version == 1
    assert sorted(p["original_name"] for p in period.published) == ["ต.ค.docx", "ต.ค.pdf"]
    actions = list(AuditEvent.objects.filter(item_period=period).order_by("pk").values_list("action", flat=True))
    assert actions == ["upload", "upload", "submit", "check", "approve"]


@pytest.mark.parametrize("action, role", [
    ("submit", "controller"), ("submit", "commander"), ("submit", "viewer"),
    ("check", "responsible"), ("check", "commander"), ("check", "admin"),
])
def test_only_the_right_role_takes_each_step(drafted, users, station, o7, action, role):
    if action == "check":
        step(drafted, "submit", users["responsible"], station, o7)
    with pytest.raises(PermissionDenied):
        step(drafted, action, users[role], station, o7)


@pytest.mark.parametrize("role", ["responsible", "controller", "admin", "viewer"])
def test_only_the_commander_approves(drafted, users, station, o7, role):
    step(drafted, "submit", users["responsible"], station, o7)
    step(drafted, "check", users["controller"], station, o7)
    with pytest.raises(PermissionDenied):
        step(drafted, "approve", users[role], station, o7)


def test_steps_cannot_be_skipped(drafted, users, station, o7):
    with pytest.raises(workflow.WorkflowError):
        step(drafted, "approve", users["commander"], station, o7)
    with pytest.raises(workflow.WorkflowError):
        step(drafted, "check", users["controller"], station, o7)


def test_empty_period_cannot_be_submitted(users, station, o7):
    with pytest.raises(workflow.WorkflowError):
        step(period_of(station, o7, datetime.date(2023, 11, 1)), "submit", users["responsible"], station, o7)


def test_return_needs_a_comment_and_goes_back_to_the_officer(drafted, users, station, o7, django_capture_on_commit_callbacks):
    step(drafted, "submit", users["responsible"], station, o7)
    with pytest.raises(workflow.WorkflowError):
        step(drafted, "return", users["controller"], station, o7, comment="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        period = step(drafted, "return", users["controller"], station, o7, comment="ขาดลายมือชื่อผู้กำกับ")
    assert period.state == ItemPeriod.RETURNED
    assert AuditEvent.objects.filter(item_period=period, action="return", comment="ขาดลายมือชื่อผู้กำกับ").exists()
    assert [m.to for m in mail.outbox] == [["bk-responsible@demo.ita-portal.local"]]
    assert "ขาดลายมือชื่อผู้กำกับ" in mail.outbox[0].body and "ส่งกลับ" in mail.outbox[0].subject
    step(period, "submit", users["responsible"], station, o7)  # resubmitted after correction


def test_once_checked_only_the_commander_returns(drafted, users, station, o7):
    step(drafted, "submit", users["responsible"], station, o7)
    step(drafted, "check", users["controller"], station, o7)
    with pytest.raises((PermissionDenied, workflow.WorkflowError)):
        step(drafted, "return", users["controller"], station, o7, comment="x")
    assert step(drafted, "return", users["commander"], station, o7, comment="แก้ไข").state == ItemPeriod.RETURNED


def test_submission_mails_controller_and_commander(drafted, users, station, o7, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(drafted, "submit", users["responsible"], station, o7)
    assert sorted(mail.outbox[0].to) == ["bk-commander@demo.ita-portal.local", "bk-controller@demo.ita-portal.local"]
    assert "O7" in mail.outbox[0].subject and "/staff/units/sn-buengkum/ita/2567/o7/" in mail.outbox[0].body


def test_changing_approved_evidence_starts_a_draft_and_the_public_keeps_the_approved(drafted, users, station, o7):
    step(drafted, "submit", users["responsible"], station, o7)
    step(drafted, "check", users["controller"], station, o7)
    approved = step(drafted, "approve", users["commander"], station, o7)
    published = list(approved.published)
    piece = Evidence.objects.get(item_period=approved, current_revision__extension="pdf")
    evidence_service.replace_file(piece, validated("ต.ค. แก้ไข.pdf", make_pdf(2)), users["responsible"])
    evidence_service.edit(piece, {"title": "ชื่อใหม่"}, users["responsible"])
    period = ItemPeriod.objects.get(pk=approved.pk)
    assert period.state == ItemPeriod.DRAFT
    assert period.published == published  # unchanged until the next approval
    assert piece.revisions.count() == 2  # the replaced file is kept
    step(period, "submit", users["responsible"], station, o7)
    step(period, "check", users["controller"], station, o7)
    period = step(period, "approve", users["commander"], station, o7)
    assert period.published_version == 2
    assert "ชื่อใหม่" in [p["title"] for p in period.published]


def test_removed_evidence_is_kept(drafted, users):
    piece = Evidence.objects.filter(item_period=drafted).first()
    evidence_service.remove(piece, users["responsible"], "ไฟล์ผิด")
    piece.refresh_from_db()
    assert piece.removed_at and piece.current_revision.file.storage.exists(piece.current_revision.file.name)
    assert not Evidence.objects.current().filter(pk=piece.pk).exists()
    assert AuditEvent.objects.filter(evidence=piece, action="remove", comment="ไฟล์ผิด").exists()


def test_none_declaration_refused_beside_evidence(users, station):
    from oit_items.rulebook.models import Item

    o15 = Item.objects.for_unit(station, 2567).get(code="O15")  # monthly procurement: "none" allowed
    period = period_of(station, o15, OCT)
    evidence_service.add_files(period, [validated("สขร.1.pdf", make_pdf())], {"about_date": OCT}, users["responsible"])
    with pytest.raises(evidence_service.EvidenceError):
        evidence_service.declare_none(period, "ไม่มี", OCT, users["responsible"])


def test_none_declaration_refused_where_the_item_needs_evidence(users, station, o7):
    with pytest.raises(evidence_service.EvidenceError, match="needs evidence|ต้องมีหลักฐาน"):
        evidence_service.declare_none(period_of(station, o7, OCT), "ไม่มี", OCT, users["responsible"])
    assert not Evidence.objects.exists()


def test_every_state_change_is_made_by_the_period_which_keeps_its_readiness(drafted, users, station, o7, monkeypatch):
    """Workflow steps and changes of evidence all go through ItemPeriod.move_to, and only it
    refreshes the stored readiness: once per change, in the change's transaction."""
    moves, refreshed_by = [], []
    move_to, refresh = ItemPeriod.move_to, ItemReadinessManager.refresh

    def moving(period, state, **kwargs):
        moves.append(state)
        return move_to(period, state, **kwargs)

    def refreshing(manager, *args, **kwargs):
        refreshed_by.append(sys._getframe(1).f_code.co_qualname)
        return refresh(manager, *args, **kwargs)

    monkeypatch.setattr(ItemPeriod, "move_to", moving)
    monkeypatch.setattr(ItemReadinessManager, "refresh", refreshing)
    step(drafted, "submit", users["responsible"], station, o7)
    step(drafted, "check", users["controller"], station, o7)
    step(drafted, "approve", users["commander"], station, o7)
    piece = Evidence.objects.filter(item_period=drafted).first()
    evidence_service.edit(piece, {"title": "ชื่อใหม่"}, users["responsible"])  # reopened: a draft again
    evidence_service.edit(piece, {"title": "ชื่อใหม่อีกครั้ง"}, users["responsible"])  # a draft stays one
    step(drafted, "submit", users["responsible"], station, o7)
    step(drafted, "return", users["commander"], station, o7, comment="แก้ไข")
    assert moves == ["submitted", "checked", "approved", "draft", "draft", "submitted", "returned"]
    assert refreshed_by == ["ItemPeriod.move_to"] * len(moves)
    assert ItemPeriod.objects.get(pk=drafted.pk).state == ItemPeriod.RETURNED
    assert readiness.stored_all() == readiness.recompute_all()


def test_audit_log_is_append_only(drafted):
    event = AuditEvent.objects.filter(item_period=drafted).first()
    event.comment = "แก้ประวัติ"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    if connection.vendor == "postgresql":  # the database refuses too, whatever the code does
        for statement in ("UPDATE oit_items_auditevent SET comment = 'x'", "DELETE FROM oit_items_auditevent"):
            with pytest.raises(Exception, match="append-only"):
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(statement)


def test_daily_digest_lists_overdue_items_once_a_day(users, station, o7):
    mail.outbox.clear()
    day = datetime.date(2024, 1, 5)  # October's report was due on 28 November 2566
    sent = notifications.send_digests(day)
    assert sent >= 1
    mine = [m for m in mail.outbox if m.to == ["bk-responsible@demo.ita-portal.local"]]
    assert len(mine) == 1
    assert "O7 ต.ค.66" in mine[0].body and "เกินกำหนด" in mine[0].body
    assert notifications.send_digests(day) == 0  # run twice, sent once


def test_daily_digest_fans_out_one_task_per_unit(users, station, django_capture_on_commit_callbacks):
    from oit_items.tasks import send_daily_digest

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert send_daily_digest.delay("2024-01-09").get() == 2  # the two demo units that publish
    assert len(queued) == 2  # one digest task per unit
    assert any(m.to == ["bk-responsible@demo.ita-portal.local"] for m in mail.outbox)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digest.delay("2024-01-09")
    assert len(mail.outbox) == sent  # run twice, sent once
