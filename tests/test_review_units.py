"""Units: role removal on handover, the users sheet's officer links, invitation sending, import
jobs that fail, the public pages after a change of head, handover counts, a bounded history."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oit_items.evidence.history import unit_history
from oit_items.evidence.models import Assignment
from tests.test_onboarding_import import new_station
from units import handover, invitations
from units.models import ImportBatch, Invitation, Officer, Role, Unit
from units.onboarding import jobs, reader
from units.permissions import Access


def test_handover_keeps_the_units_last_admin(db, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    Role.objects.filter(unit=station, role=Role.ADMIN).delete()
    last_admin = Role.objects.create(user=leaver.user, unit=station, role=Role.ADMIN)
    unit_admin = Access(roles=frozenset({Role.ADMIN}), unit=station)

    result = handover.hand_over(leaver, successor, access=unit_admin)

    assert result.kept == [last_admin] and Role.objects.filter(pk=last_admin.pk).exists()
    assert not Role.objects.filter(user=leaver.user, unit=station, role=Role.RESPONSIBLE).exists()


def test_the_handover_page_keeps_roles_the_admin_may_not_remove_and_says_so(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    supervisor = Role.objects.create(user=leaver.user, unit=station, role=Role.SUPERVISOR)  # granted from above
    client.force_login(users["admin"])
    response = client.post(reverse("officer-reassign", args=[station.slug, leaver.pk]),
                           {"successor": successor.pk, "retire": "on", "revoke": "on"}, follow=True)
    assert list(Role.objects.filter(user=leaver.user, unit=station)) == [supervisor]
    assert "บทบาทของ bk-responsible ที่ท่านไม่มีสิทธิ์ยกเลิกยังคงอยู่" in response.content.decode()


def test_role_revoke_still_keeps_the_last_admin(client, users, station):
    client.force_login(users["admin"])
    role = Role.objects.get(user=users["admin"], unit=station, role=Role.ADMIN)
    client.post(reverse("role-revoke", args=[station.slug, role.pk]))
    assert Role.objects.filter(pk=role.pk).exists()


def test_the_users_sheet_may_not_link_a_login_to_another_units_officer(db, division_admin, national_admin):
    rows = [["mole", "sn-buengkum", "viewer", "bg-chutikorn", "mole@police.go.th"]]
    check, applied = jobs.run(new_station(units=[], officers=[], users=rows), user=division_admin, apply=True)
    assert applied is None and not Officer.objects.get(key="bg-chutikorn").user_id
    assert any("คุณไม่มีสิทธิ์แก้ไขเจ้าหน้าที่ของหน่วย imm-buengkan" in e for r in check.results for e in r.errors)
    check, _applied = jobs.run(new_station(units=[], officers=[], users=rows), user=national_admin)
    assert not check.refused


def test_an_invitation_whose_mail_fails_stays_unsent_for_the_retry(db, station, monkeypatch):
    user = get_user_model().objects.create_user("bk-new", "new@police.go.th")
    invitation = invitations.invite(user, station)

    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(invitations, "send_mail", smtp_down)
    with pytest.raises(OSError):
        invitations.send(invitation)
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.sent_at is None and stored.send_count == 0
    monkeypatch.undo()
    assert invitations.send(stored) and len(mail.outbox) == 1


@pytest.mark.parametrize("state, job", [(ImportBatch.CHECKING, jobs.check), (ImportBatch.APPLYING, jobs.apply)])
def test_an_import_stopped_by_a_bug_fails_instead_of_staying_busy(db, users, monkeypatch, caplog, state, job):
    batch = ImportBatch.objects.create(uploaded_by=users["admin"], files=[], state=state)

    def bug(files):
        raise KeyError("sheet")

    monkeypatch.setattr(reader, "read", bug)
    with caplog.at_level(logging.ERROR, logger="units.onboarding.jobs"):
        assert job(batch.pk) == ImportBatch.FAILED
    batch.refresh_from_db()
    assert not batch.busy and batch.error.startswith("ระบบบันทึกข้อผิดพลาดไว้แล้ว")
    assert any(record.exc_info for record in caplog.records)


def _unpublished(station):
    Unit.objects.filter(pk=station.pk).update(published_at=None)


def _published(station):
    return Unit.objects.get(pk=station.pk).published_at is not None


def test_a_new_head_reaches_the_public_pages(client, users, station, django_capture_on_commit_callbacks):
    client.force_login(users["admin"])
    _unpublished(station)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("officer-head", args=[station.slug, Officer.objects.get(key="bk-thawit").pk]))
    assert _published(station)


def test_a_head_handed_over_reaches_the_public_pages(db, station, django_capture_on_commit_callbacks):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    Unit.objects.filter(pk=station.pk).update(head=leaver, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        handover.hand_over(leaver, successor)
    assert _published(station)


def test_imported_unit_details_reach_the_public_pages(db, station, division_admin, django_capture_on_commit_callbacks):
    _unpublished(station)
    rows = [["sn-buengkum", "", "police_station", "", "", "", "02 999 9999"] + [""] * 6]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(new_station(units=rows, officers=[], users=[]), user=division_admin, apply=True)
    assert _published(station)


def test_an_item_held_twice_is_counted_once(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    both = Assignment.objects.filter(unit=station, responsible=leaver).first()
    both.controllers.add(leaver)
    items = Assignment.objects.filter(unit=station).of_officer(leaver).distinct().count()
    assert handover.holdings(leaver)[Assignment] == items
    client.force_login(users["admin"])
    page = client.get(reverse("officer-reassign", args=[station.slug, leaver.pk])).content.decode()
    assert f"{Assignment._meta.verbose_name_plural}: {items}<" in page
    assert handover.hand_over(leaver, successor).count_of(Assignment) == items


def test_the_history_reads_a_bounded_number_of_records_and_tells_the_newest_the_same(db, station):
    officer = Officer.objects.get(key="bk-thawit")
    start = timezone.now()
    for number in range(30):
        officer.phone = f"02 000 {number:04d}"
        officer.save()
        record = Officer.history.filter(id=officer.pk).latest("history_id")  # a change a day, not merged
        Officer.history.filter(pk=record.pk).update(history_date=start + datetime.timedelta(days=number))
    full = unit_history(station, limit=100000)
    with CaptureQueriesContext(connection) as queries:
        newest = unit_history(station, limit=10)
    assert 0 < len(newest) <= 10 and newest == full[:len(newest)]
    newest_first = [q["sql"] for q in queries if '"history_date" DESC' in q["sql"] and "DISTINCT" not in q["sql"]]
    assert len(newest_first) == 4 and all("LIMIT 10" in sql for sql in newest_first)
