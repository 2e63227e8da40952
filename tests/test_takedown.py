"""Emergency takedown: a published file or a whole published period withdrawn at once, with a
reason — gone from the public page, its file URL, the open data, the search and the sitemap."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from oit_items.evidence import edits, readiness, takedown, workflow
from oit_items.evidence.models import AuditEvent, Evidence, ItemPeriod
from tests.conftest import approve_period, make_docx, make_pdf
from units.signals import published_record_changed

OCT = datetime.date(2023, 10, 1)
PAGE = "/u/sn-buengkum/ita/2567/o7/"
JSON = "/api/v1/units/sn-buengkum/ita/2567/o7/"
CSV = "/api/v1/units/sn-buengkum/ita/2567/o7/evidence.csv"
SEARCH = "/u/sn-buengkum/ita/2567/search/"
SITEMAP = "/sitemaps/sn-buengkum-2567.xml"
URL = reverse("period-takedown", args=["sn-buengkum", 2567, "o7", "m10"])


@pytest.fixture
def published(users, station, o7, django_capture_on_commit_callbacks):
    period = approve_period(users, station, o7, OCT, [("รายงาน ต.ค. มีเลขบัตรประชาชน.pdf", make_pdf()),
                                                     ("รายงาน ต.ค.docx", make_docx())])
    with django_capture_on_commit_callbacks(execute=True):  # what a real request's commit runs
        published_record_changed.send(sender=None, unit=station)  # the stamp, and the search index job (run in-process)
    return period


def october(page: str) -> str:
    """The October section of the public item page (the page lists every month of the item)."""
    return re.search(r'<section class="period[^"]*" data-period="2023-10".*?</section>', page, re.S).group(0)


def public(client):
    """What an anonymous visitor gets from each public channel."""
    client.logout()
    return {"page": client.get(PAGE).content.decode(), "json": client.get(JSON).content.decode(),
            "csv": client.get(CSV).content.decode("utf-8-sig"), "search": client.get(SEARCH, {"q": "เลขบัตรประชาชน"}).content.decode(),
            "sitemap": client.get(SITEMAP)["ETag"]}


def test_a_file_disappears_from_every_public_channel_at_once(client, users, published, django_capture_on_commit_callbacks):
    pdf = next(e for e in published.published if e["extension"] == "pdf")
    file_url = reverse("public-file", args=["sn-buengkum", pdf["revision"]])
    before = public(client)
    assert client.get(file_url).status_code == 200
    assert all("มีเลขบัตรประชาชน" in before[k] for k in ("page", "json", "csv"))
    assert f'href="{file_url}"' in before["search"]  # found by the word (the result marks the words, splitting the name)
    client.force_login(users["commander"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"reason": "ไฟล์มีเลขบัตรประชาชนของผู้ต้องหา (PDPA)", "scope": "files",
                                     "evidence": [pdf["evidence"]]})
    assert response.status_code == 302
    after = public(client)
    assert client.get(file_url).status_code == 404
    assert not any("มีเลขบัตรประชาชน" in after[k] for k in ("page", "json", "csv"))
    assert f'href="{file_url}"' not in after["search"] and "เลขบัตรประชาชน</mark>" not in after["search"]
    word = next(e for e in published.published if e["extension"] == "docx")
    assert reverse("public-file", args=["sn-buengkum", word["revision"]]) in after["page"]  # the other stays
    assert after["sitemap"] != before["sitemap"]  # the sitemap part follows the stamp: crawlers fetch it again
    period = ItemPeriod.objects.get(pk=published.pk)
    assert period.state == ItemPeriod.DRAFT and len(period.published) == 1
    assert Evidence.objects.get(pk=pdf["evidence"]).removed_at is not None  # and out of the draft
    event = AuditEvent.objects.get(item_period=period, action="takedown")
    assert (event.actor, event.comment) == (users["commander"], "ไฟล์มีเลขบัตรประชาชนของผู้ต้องหา (PDPA)")
    assert [w["original_name"] for w in event.details["withdrawn"]] == ["รายงาน ต.ค. มีเลขบัตรประชาชน.pdf"]
    assert mail.outbox and "ถอดออก" in mail.outbox[-1].subject  # the responsible officer is told


def test_a_whole_period_leaves_the_public_site(client, users, published, django_capture_on_commit_callbacks):
    revisions = [e["revision"] for e in published.published]
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"reason": "อนุมัติผิดเดือน", "scope": "period"})
    period = ItemPeriod.objects.get(pk=published.pk)
    assert (period.published, period.published_version, period.state) == ([], 0, ItemPeriod.DRAFT)
    client.logout()
    for revision in revisions:
        assert client.get(reverse("public-file", args=["sn-buengkum", revision])).status_code == 404
    page = client.get(PAGE).content.decode()
    assert 'data-status="missing"' in october(page) and "ยังไม่เผยแพร่" in october(page)
    assert not any(reverse("public-file", args=["sn-buengkum", r]) in page for r in revisions)
    # The evidence stays in the draft, to be corrected and approved again.
    assert Evidence.objects.current().filter(item_period=period).count() == 2


def test_the_reason_is_required_and_typed_input_is_kept(client, users, published):
    client.force_login(users["commander"])
    response = client.post(URL, {"reason": "", "scope": "files"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "โปรดเลือกไฟล์ที่จะถอดออก" in body
    assert ItemPeriod.objects.get(pk=published.pk).state == ItemPeriod.APPROVED
    with pytest.raises(workflow.WorkflowError):
        takedown.take_down(published, users["commander"], "  ")


def test_the_stored_readiness_follows(users, published):
    takedown.take_down(published, users["commander"], "ผิดพลาด")
    assert readiness.stored_all() == readiness.recompute_all()


def test_a_takedown_removes_files_as_a_removal_does_and_changes_the_state_once(users, published, monkeypatch):
    pdf = next(e for e in published.published if e["extension"] == "pdf")
    removed, moves = [], []
    mark_removed, move_to = edits.mark_removed, ItemPeriod.move_to
    monkeypatch.setattr(edits, "mark_removed", lambda evidence, *args: removed.append(evidence.pk) or mark_removed(evidence, *args))
    monkeypatch.setattr(ItemPeriod, "move_to", lambda period, state, **changes: moves.append(state) or move_to(period, state, **changes))
    takedown.take_down(published, users["commander"], "มีเลขบัตรประชาชน", [pdf["evidence"]], ip="10.0.0.7")
    assert removed == [pdf["evidence"]] and moves == [ItemPeriod.DRAFT]  # one state change, one readiness refresh
    event = AuditEvent.objects.get(evidence_id=pdf["evidence"], action="remove")
    assert (event.comment, event.ip, event.details["version"]) == ("มีเลขบัตรประชาชน", "10.0.0.7", 2)
    assert readiness.stored_all() == readiness.recompute_all()


def test_the_card_offers_it_to_those_who_may(client, users, published):
    item_page = reverse("item-detail", args=["sn-buengkum", 2567, "o7"])
    for role, offered in (("commander", True), ("admin", True), ("responsible", False), ("viewer", False)):
        client.force_login(users[role])
        assert (URL in client.get(item_page).content.decode()) == offered, role


@pytest.mark.parametrize("role, status", [
    ("commander", 200), ("admin", 200), ("responsible", 403), ("controller", 403), ("viewer", 403),
    ("other-commander", 403), ("other-admin", 403), ("division-supervisor", 403), ("hq-supervisor", 403),
])
def test_who_may_take_down(client, users, published, role, status):
    client.force_login(users[role])
    assert client.get(URL).status_code == status
    response = client.post(URL, {"reason": "ทดสอบ", "scope": "period"})
    assert response.status_code == (302 if status == 200 else 403)


def test_anonymous_is_sent_to_login(client, published):
    assert client.get(URL)["Location"].startswith("/login/")
    assert client.post(URL, {"reason": "x", "scope": "period"})["Location"].startswith("/login/")
    assert ItemPeriod.objects.get(pk=published.pk).state == ItemPeriod.APPROVED


def test_nothing_public_nothing_to_take_down(client, users, station, o7):
    approve_period(users, station, o7, OCT, [("ก.pdf", make_pdf())], publish=False)
    client.force_login(users["commander"])
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("who, cache_control", [("commander", "private, no-cache"), ("anonymous", "public, no-cache")])
def test_a_file_taken_down_is_never_shown_again_from_a_cache(client, users, published, django_capture_on_commit_callbacks,
                                                              who, cache_control):
    """Fetch, take down, fetch again as the same browser would (with the ETag it kept): not the old
    bytes. The answer may be kept but must be asked for again each time (no max-age), so a browser
    that showed the photo a second ago asks, and hears 404."""
    pdf = next(e for e in published.published if e["extension"] == "pdf")
    file_url = reverse("public-file", args=["sn-buengkum", pdf["revision"]])
    if who != "anonymous":
        client.force_login(users[who])
    first = client.get(file_url)
    assert first.status_code == 200 and b"".join(first.streaming_content).startswith(b"%PDF")
    assert first["Cache-Control"] == cache_control and "max-age" not in first["Cache-Control"] and first["ETag"]
    again = client.get(file_url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["Cache-Control"] == cache_control  # unchanged: no bytes sent
    client.force_login(users["commander"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"reason": "PDPA", "scope": "files", "evidence": [pdf["evidence"]]})
    if who == "anonymous":
        client.logout()
    after = client.get(file_url, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 404 and not getattr(after, "streaming", False)


def test_a_replaced_emblem_is_not_served_from_a_cache(client, station):
    from django.core.files.base import ContentFile

    from tests.documents_support import png

    station.emblem.save("emblem.png", ContentFile(png(40, 40, (200, 0, 0))))
    url = reverse("public-emblem", args=[station.slug])
    first = client.get(url)
    old = b"".join(first.streaming_content)
    assert first["Cache-Control"] == "public, no-cache" and client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    station.emblem.save("emblem.png", ContentFile(png(40, 40, (0, 0, 200))))
    after = client.get(url, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200 and after["ETag"] != first["ETag"] and b"".join(after.streaming_content) != old
