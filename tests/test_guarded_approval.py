"""Guarded approval: failing checks need a reason (kept in the audit log), "approve and publish"
shows exactly what becomes public first, and the commander approves several periods at once."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from oit_items.evidence import approval_views, checks, readiness, workflow
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import AuditEvent, Evidence, ItemPeriod, ItemReadiness
from tests.conftest import approve_period, make_docx, make_pdf
from tests.test_my_work import rights

OCT, NOV, DEC = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2023, 12, 1)


def confirm_url(period="m10", action="approve"):
    return reverse("period-confirm", args=["sn-buengkum", 2567, "o7", period, action])


def checked(users, station, o7, month, files):
    return approve_period(users, station, o7, month, files, publish=False)


def both(month):
    return [(f"รายงาน {month:%m}.pdf", make_pdf()), (f"รายงาน {month:%m}.docx", make_docx())]


def test_a_failing_period_needs_a_reason_kept_in_the_audit_log(users, station, o7):
    period = checked(users, station, o7, OCT, [("รายงาน.pdf", make_pdf())])  # O7 wants PDF and Word
    commander = users["commander"]
    with pytest.raises(workflow.ChecksFailed) as failed:
        workflow.transition(period, "approve", commander, rights(commander, station, o7))
    assert [f.message for f in failed.value.failures] == ["ขาดไฟล์ Word ของเดือน ต.ค. 2566"]
    assert ItemPeriod.objects.get(pk=period.pk).state == ItemPeriod.CHECKED
    workflow.transition(period, "approve", commander, rights(commander, station, o7), override="ไฟล์ Word ส่งตามภายหลัง")
    event = AuditEvent.objects.get(item_period=period, action="approve")
    assert event.comment == "ไฟล์ Word ส่งตามภายหลัง" and event.actor == commander
    assert event.details["failures"] == ["ขาดไฟล์ Word ของเดือน ต.ค. 2566"]
    check = AuditEvent.objects.get(item_period=period, action="check")
    assert check.details["override"]  # the controller passed it with a reason too


def test_a_passing_period_needs_no_reason(users, station, o7):
    period = checked(users, station, o7, OCT, both(OCT))
    commander = users["commander"]
    workflow.transition(period, "approve", commander, rights(commander, station, o7))
    assert "override" not in AuditEvent.objects.get(item_period=period, action="approve").details


def test_approve_always_passes_the_confirmation_page(client, users, station, o7):
    checked(users, station, o7, OCT, both(OCT))
    client.force_login(users["commander"])
    response = client.post(reverse("period-transition", args=["sn-buengkum", 2567, "o7", "m10", "approve"]))
    assert response["Location"] == confirm_url()
    assert ItemPeriod.objects.get(item=o7, month=OCT).state == ItemPeriod.CHECKED


def test_no_approval_skips_the_review_of_what_becomes_public(client, users, station, o7):
    """A hand-made POST cannot approve without the fingerprint of the page the approver saw."""
    checked(users, station, o7, OCT, both(OCT))
    client.force_login(users["commander"])
    response = client.post(reverse("period-transition", args=["sn-buengkum", 2567, "o7", "m10", "approve"]),
                           {"confirmed": "1"})
    assert response["Location"] == confirm_url()
    refused = client.post(confirm_url(), {"override": "ไม่ได้เปิดดูหน้ายืนยัน"})
    assert refused.status_code == 400 and "หลักฐานมีการเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in refused.content.decode()
    client.post(reverse("unit-approvals", args=["sn-buengkum"]), {"period": [str(ItemPeriod.objects.get(month=OCT, item=o7).pk)]})
    assert ItemPeriod.objects.get(item=o7, month=OCT).state == ItemPeriod.CHECKED


def test_the_confirmation_shows_exactly_what_becomes_public(client, users, station, o7):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ita_portal.lib.uploads import validate_upload
    from oit_items.evidence import edits as evidence_service

    period = approve_period(users, station, o7, OCT, both(OCT))  # approved and public
    word = Evidence.objects.get(item_period=period, current_revision__extension="docx")
    pdf = Evidence.objects.get(item_period=period, current_revision__extension="pdf")
    evidence_service.remove(word, users["responsible"], "ผิดเดือน")
    evidence_service.replace_file(pdf, validate_upload(SimpleUploadedFile("รายงาน ต.ค. แก้ไข.pdf", make_pdf(2))),
                                  users["responsible"])
    for action, role in (("submit", "responsible"), ("check", "controller")):
        workflow.transition(period, action, users[role], rights(users[role], station, o7), override="ทดสอบ")
    client.force_login(users["commander"])
    page = client.get(confirm_url())
    review = page.context["review"]
    assert [e["original_name"] for e in review.changed] == ["รายงาน ต.ค. แก้ไข.pdf"]
    assert [e["original_name"] for e in review.withdrawn] == ["รายงาน 10.docx"]
    assert review.added == [] and review.kept == []
    body = page.content.decode()
    assert "สิ่งที่จะเผยแพร่" in body and "รายงาน ต.ค. แก้ไข.pdf" in body and "จะไม่เผยแพร่อีก" in body
    assert "ผลการตรวจอัตโนมัติไม่ผ่าน" in body and 'name="override"' in body
    # Without a reason: refused, in Thai, the page again; with one: approved and published.
    refused = client.post(confirm_url(), {"expected": review.fingerprint, "confirmed": "1"})
    assert refused.status_code == 400 and "โปรดระบุเหตุผลที่ให้ผ่าน" in refused.content.decode()
    done = client.post(confirm_url(), {"expected": review.fingerprint, "confirmed": "1", "override": "Word ตามมา"})
    assert done.status_code == 302
    published = ItemPeriod.objects.get(pk=period.pk).published
    assert [e["original_name"] for e in published] == ["รายงาน ต.ค. แก้ไข.pdf"]


def test_what_changed_after_the_review_is_not_published(client, users, station, o7):
    period = checked(users, station, o7, OCT, both(OCT))
    client.force_login(users["commander"])
    fingerprint = client.get(confirm_url()).context["review"].fingerprint
    # Meanwhile the evidence of the checked month is edited (state back to draft) and submitted,
    # checked again: not what the commander saw.
    piece = Evidence.objects.filter(item_period=period).first()
    from oit_items.evidence import edits as evidence_service

    evidence_service.edit(piece, {"title": "ชื่อใหม่"}, users["responsible"])
    for action, role in (("submit", "responsible"), ("check", "controller")):
        workflow.transition(period, action, users[role], rights(users[role], station, o7))
    response = client.post(confirm_url(), {"expected": fingerprint, "confirmed": "1"})
    assert response.status_code == 400 and "โปรดตรวจดูสิ่งที่จะเผยแพร่อีกครั้ง" in response.content.decode()
    assert ItemPeriod.objects.get(pk=period.pk).state == ItemPeriod.CHECKED


def test_a_failing_check_by_the_controller_needs_a_reason(client, users, station, o7, upload_files):
    upload_files(client, users["responsible"], [("ก.pdf", make_pdf())])
    client.post(reverse("period-transition", args=["sn-buengkum", 2567, "o7", "m10", "submit"]))
    client.force_login(users["controller"])
    card = client.get(reverse("item-detail", args=["sn-buengkum", 2567, "o7"])).content.decode()
    assert confirm_url(action="check") in card  # the card leads to the page with the failures
    response = client.post(reverse("period-transition", args=["sn-buengkum", 2567, "o7", "m10", "check"]))
    assert response["Location"] == confirm_url(action="check")
    assert client.post(confirm_url(action="check"), {"override": "ตรวจเนื้อหาแล้ว"}).status_code == 302
    assert ItemPeriod.objects.get(item=o7, month=OCT).state == ItemPeriod.CHECKED


def test_bulk_approval_with_each_check_summary(client, users, station, o7, django_assert_num_queries):
    good = checked(users, station, o7, OCT, both(OCT))
    client.force_login(users["commander"])
    url = reverse("unit-approvals", args=["sn-buengkum"])
    client.get(url)
    with django_assert_num_queries(8) as few:  # session, user, unit, roles, periods, officer, evidence, check events
        client.get(url)
    bad = checked(users, station, o7, NOV, [("พ.ย.pdf", make_pdf())])
    also = checked(users, station, o7, DEC, both(DEC))
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    reviews = {r.period.pk: r for r in page.context["reviews"]}
    assert set(reviews) == {good.pk, bad.pk, also.pk}
    assert reviews[bad.pk].failures and not reviews[good.pk].failures
    body = page.content.decode()
    assert f'name="override-{bad.pk}"' in body and f'name="override-{good.pk}"' not in body
    data = {"period": [good.pk, bad.pk, also.pk], **{f"expected-{pk}": r.fingerprint for pk, r in reviews.items()}}
    response = client.post(url, data)
    # The passing ones are approved; the failing one is kept, ticked, with the Thai reason to give.
    assert response.status_code == 400
    states = dict(ItemPeriod.objects.filter(pk__in=reviews).values_list("pk", "state"))
    assert states == {good.pk: "approved", bad.pk: "checked", also.pk: "approved"}
    assert [r.period.pk for r in response.context["reviews"]] == [bad.pk]
    assert "โปรดระบุเหตุผลที่ให้ผ่าน" in response.content.decode()
    response = client.post(url, {"period": [bad.pk], f"expected-{bad.pk}": reviews[bad.pk].fingerprint,
                                 f"override-{bad.pk}": "ไฟล์ Word ส่งตาม"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(item_period=bad, action="approve").comment == "ไฟล์ Word ส่งตาม"


def test_the_checks_run_once_per_approval(client, users, station, o7):
    """The review the commander confirms evaluates the checks; the approval under the lock and the
    stored readiness it refreshes reuse that evaluation, the evidence being what it judged."""
    october = checked(users, station, o7, OCT, both(OCT))
    november, december = checked(users, station, o7, NOV, both(NOV)), checked(users, station, o7, DEC, both(DEC))
    client.force_login(users["commander"])
    fingerprint = client.get(confirm_url()).context["review"].fingerprint
    with mock.patch.object(checks, "evaluate", wraps=checks.evaluate) as evaluate:
        assert client.post(confirm_url(), {"expected": fingerprint, "confirmed": "1"}).status_code == 302
    assert evaluate.call_count == 1
    url = reverse("unit-approvals", args=["sn-buengkum"])
    reviews = client.get(url).context["reviews"]
    with mock.patch.object(checks, "evaluate", wraps=checks.evaluate) as evaluate:
        response = client.post(url, {"period": [november.pk, december.pk],
                                      **{f"expected-{r.period.pk}": r.fingerprint for r in reviews}})
    assert response.status_code == 302 and evaluate.call_count == 1  # two months of one item: judged at once
    assert set(ItemPeriod.objects.filter(pk__in=[october.pk, november.pk, december.pk])
               .values_list("state", flat=True)) == {ItemPeriod.APPROVED}
    assert readiness.stored_all() == readiness.recompute_all()


def test_checks_judged_before_a_change_elsewhere_are_not_reused(users, station, o7):
    """Evidence added to another month after the review: the approval checks again, and the stored
    readiness counts the new evidence."""
    october = checked(users, station, o7, OCT, both(OCT))
    commander = users["commander"]
    [review] = approval_views.reviews_for(station, [ItemPeriod.objects.select_related("item__framework").get(pk=october.pk)])
    evidence_service.add_link(ItemPeriod.objects.get_or_create(unit=station, item=o7, month=NOV)[0],
                              {"title": "รายงาน", "url": "https://example.go.th/r", "about_date": NOV}, users["responsible"])
    with mock.patch.object(checks, "evaluate", wraps=checks.evaluate) as evaluate:
        workflow.transition(october, "approve", commander, rights(commander, station, o7), checked=review.check)
    [(item, evidence), _kwargs] = evaluate.call_args  # once, on the evidence as it is now
    assert evaluate.call_count == 1 and NOV in evidence
    assert readiness.stored_all() == readiness.recompute_all()
    # The stored readiness, too, takes an evaluation only if it judged what it reads under its lock.
    with mock.patch.object(checks, "evaluate", wraps=checks.evaluate) as evaluate:
        ItemReadiness.objects.refresh(station.pk, o7.pk, review.check)
    assert evaluate.call_count == 1
    assert readiness.stored_all() == readiness.recompute_all()


@pytest.mark.parametrize("role, status", [
    ("commander", 200), ("admin", 403), ("controller", 403), ("responsible", 403), ("viewer", 403),
    ("other-commander", 403), ("division-supervisor", 403), ("hq-supervisor", 403),
])
def test_who_may_open_the_approval_pages(client, users, station, o7, role, status):
    checked(users, station, o7, OCT, both(OCT))
    client.force_login(users[role])
    assert client.get(reverse("unit-approvals", args=["sn-buengkum"])).status_code == status
    confirm = client.get(confirm_url())
    assert confirm.status_code == (200 if status == 200 else 403)


@pytest.mark.parametrize("role, status", [
    ("controller", 200), ("commander", 403), ("responsible", 403), ("other-controller", 403), ("division-supervisor", 403),
])
def test_who_may_open_the_check_page(client, users, station, o7, upload_files, role, status):
    upload_files(client, users["responsible"], [("ก.pdf", make_pdf())])
    client.post(reverse("period-transition", args=["sn-buengkum", 2567, "o7", "m10", "submit"]))
    client.force_login(users[role])
    assert client.get(confirm_url(action="check")).status_code == status


def test_anonymous_is_sent_to_login(client, db):
    for url in (reverse("unit-approvals", args=["sn-buengkum"]), confirm_url()):
        assert client.get(url)["Location"].startswith("/login/")


def test_the_approval_pages_show_how_the_controller_passed_each_period(client, users, station, o7, django_assert_num_queries):
    """The commander reads the controller's comment and reason for passing failing checks where they
    approve — the bulk page and the one-period review — not only in the item's history."""
    failing = approve_period(users, station, o7, OCT, [("รายงาน.pdf", make_pdf())], publish=False)  # no Word file
    passing = checked(users, station, o7, NOV, both(NOV))
    reason = "ทดสอบ: ผ่านแม้ผลตรวจอัตโนมัติไม่ผ่าน"  # what approve_period's controller typed
    client.force_login(users["commander"])
    for url in (reverse("unit-approvals", args=["sn-buengkum"]), confirm_url("m10")):
        body = client.get(url).content.decode()
        assert "ตรวจสอบโดย" in body and "เหตุผลที่ให้ผ่านแม้ผลตรวจอัตโนมัติไม่ผ่าน" in body and reason in body, url
        assert "ขาดไฟล์ Word ของเดือน ต.ค. 2566" in body  # what failed when the controller passed it
    reviews = {r.period.pk: r for r in client.get(reverse("unit-approvals", args=["sn-buengkum"])).context["reviews"]}
    assert reviews[failing.pk].checked.override == reason and reviews[passing.pk].checked.actor == users["controller"]
    # A comment typed beside the override shows as the controller's comment, the override as the reason.
    period = approve_period(users, station, o7, DEC, [("ธ.ค.pdf", make_pdf())], publish=False)
    controller = users["controller"]
    workflow.transition(period, "return", users["commander"], rights(users["commander"], station, o7), comment="แก้ไข")
    workflow.transition(period, "submit", users["responsible"], rights(users["responsible"], station, o7))
    workflow.transition(period, "check", controller, rights(controller, station, o7), comment="ตรวจเนื้อหาครบทุกหน้า",
                        override="ไฟล์ Word ส่งตามภายหลัง")
    body = client.get(confirm_url("m12")).content.decode()
    assert "ความเห็นของผู้ควบคุม:" in body and "ตรวจเนื้อหาครบทุกหน้า" in body and "ไฟล์ Word ส่งตามภายหลัง" in body
    assert reason not in body  # the earlier check, before the return, is not what was passed now
