"""A unit runs itself in the staff UI: contacts and emblem, officers (add, edit, photo, retire),
head of unit, item assignments (one screen, bulk), history. Who may, who may not."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oit_items.evidence.history import unit_history
from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from tests.test_evidence_views import stored_files
from units.models import Officer, Unit

FY = 2567


def jpeg(size=(120, 160)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def manage_urls(station):
    officer = Officer.objects.get(key="bk-thawit")
    return {
        "unit-edit": reverse("unit-edit", args=[station.slug]),
        "officer-add": reverse("officer-add", args=[station.slug]),
        "officer-edit": reverse("officer-edit", args=[station.slug, officer.pk]),
        "roles": reverse("roles", args=[station.slug]),
        "assignments": reverse("assignments", args=[station.slug, FY]),
        "unit-history": reverse("unit-history", args=[station.slug]),
    }


def post_urls(station):
    officer = Officer.objects.get(key="bk-thawit")
    return {
        "officer-retire": reverse("officer-retire", args=[station.slug, officer.pk]),
        "officer-head": reverse("officer-head", args=[station.slug, officer.pk]),
    }


def test_the_units_admin_and_the_admins_above_may(client, users, station, division_admin, national_admin):
    for user in (users["admin"], division_admin, national_admin):
        client.force_login(user)
        for name, url in manage_urls(station).items():
            assert client.get(url).status_code == 200, (user, name)


@pytest.mark.parametrize("who", ["responsible", "controller", "commander", "viewer", "division-supervisor",
                                 "hq-supervisor", "other-admin"])
def test_everyone_else_may_not(client, users, station, who):
    client.force_login(users[who])
    for name, url in {**manage_urls(station), **post_urls(station)}.items():
        method = client.post if name in post_urls(station) else client.get
        assert method(url).status_code == 403, name
    assert Unit.objects.get(pk=station.pk).head.key == "bk-ittiwat"


def test_anonymous_is_sent_to_login(client, station):
    for url in [*manage_urls(station).values(), reverse("officers", args=[station.slug])]:
        assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who,status", [("viewer", 200), ("division-supervisor", 200), ("other-viewer", 403)])
def test_the_officer_list_is_for_everyone_of_the_unit(client, users, station, who, status):
    client.force_login(users[who])
    response = client.get(reverse("officers", args=[station.slug]))
    assert response.status_code == status
    if status == 200:
        assert "ด.ต.ชาติชาย เจียมประเสริฐ" in response.content.decode() and "ตั้งเป็นหัวหน้าหน่วย" not in response.content.decode()


def test_officer_list_queries_do_not_grow(client, users, station, django_assert_num_queries):
    client.force_login(users["admin"])
    url = reverse("officers", args=[station.slug])
    with django_assert_num_queries(5):  # session, user, unit, roles, officers
        client.get(url)
    for n in range(5):
        Officer.objects.create(unit=station, first_name=f"เพิ่ม{n}", last_name="ใจดี", rank="ส.ต.ต.")
    with django_assert_num_queries(5):
        client.get(url)


def test_contacts_map_social_links_and_emblem(client, users, station):
    client.force_login(users["admin"])
    response = client.post(reverse("unit-edit", args=[station.slug]), {
        "address": "ถนนนวมินทร์ แขวงคลองกุ่ม เขตบึงกุ่ม กรุงเทพมหานคร", "phone": "02 377 3301", "email": "bk@police.go.th",
        "website": "buengkum.metro.police.go.th", "latitude": "13.78561234", "longitude": "100.6648",
        "links-TOTAL_FORMS": 2, "links-INITIAL_FORMS": 0, "links-0-label": "Facebook",
        "links-0-url": "https://www.facebook.com/buengkum", "links-1-label": "", "links-1-url": "",
        "emblem": SimpleUploadedFile("ตรา.jpg", jpeg()),
    })
    assert response.status_code == 302
    unit = Unit.objects.get(pk=station.pk)
    assert unit.phone == "02 377 3301" and unit.website == "https://buengkum.metro.police.go.th"
    assert str(unit.latitude) == "13.785612" and unit.map_url
    assert unit.social_links == [{"label": "Facebook", "url": "https://www.facebook.com/buengkum"}]
    assert unit.emblem and unit.emblem.name.startswith("units/emblems/") and "ตรา" not in unit.emblem.name
    emblem = client.get(reverse("unit-emblem", args=[station.slug]))
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/jpeg"
    record = Unit.history.filter(id=station.pk).latest("history_date")
    assert record.history_user == users["admin"] and record.phone == "02 377 3301"


def test_bad_contacts_come_back_in_thai_with_what_was_typed(client, users, station):
    client.force_login(users["admin"])
    response = client.post(reverse("unit-edit", args=[station.slug]), {
        "address": "ที่อยู่ที่พิมพ์ไว้", "phone": "02 377 3301", "email": "ไม่ใช่อีเมล", "latitude": "95", "longitude": "",
        "links-TOTAL_FORMS": 1, "links-INITIAL_FORMS": 0, "links-0-label": "", "links-0-url": "https://x.example",
        "emblem": SimpleUploadedFile("ตรา.jpg", b"%PDF-1.4 not an image"),
    })
    body = response.content.decode()
    assert response.status_code == 400 and "ที่อยู่ที่พิมพ์ไว้" in body and "https://x.example" in body
    assert "อีเมล" in body and "ตั้งชื่อช่องทาง" in body and "ตรา.jpg" in body
    assert Unit.objects.get(pk=station.pk).phone == ""


def test_add_an_officer_with_a_photo_then_make_them_head(client, users, station):
    client.force_login(users["admin"])
    response = client.post(reverse("officer-add", args=[station.slug]), {
        "rank": "พ.ต.อ.", "first_name": "ประเสริฐ", "last_name": "มั่นคง", "position": "ผกก.สน.บึงกุ่ม",
        "email": "prasert@police.go.th", "aliases": "ประเสริฐ  มั่นคง; ประเสรฐ", "photo": SimpleUploadedFile("รูป.png", _png()),
    })
    assert response.status_code == 302
    officer = Officer.objects.get(first_name="ประเสริฐ")
    assert officer.unit == station and officer.photo and officer.aliases == ["ประเสริฐ  มั่นคง", "ประเสรฐ"]
    assert client.get(reverse("officer-photo", args=[station.slug, officer.pk]))["Content-Type"] == "image/png"
    assert client.post(reverse("officer-head", args=[station.slug, officer.pk])).status_code == 302
    assert Unit.objects.get(pk=station.pk).head == officer


def test_a_photo_whose_officer_is_not_saved_is_deleted(client, users, station, media_root, monkeypatch):
    save = Officer.save

    def save_then_fail(officer, *args, **kwargs):
        save(officer, *args, **kwargs)
        assert len(stored_files(media_root)) == 1  # the photo written…
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(Officer, "save", save_then_fail)
    client.force_login(users["admin"])
    with pytest.raises(DatabaseError):
        client.post(reverse("officer-add", args=[station.slug]), {
            "first_name": "ประเสริฐ", "last_name": "มั่นคง", "photo": SimpleUploadedFile("รูป.png", _png())})
    assert stored_files(media_root) == [] and not Officer.objects.filter(first_name="ประเสริฐ").exists()  # …and deleted


def test_an_emblem_can_be_cleared(client, users, station):
    client.force_login(users["admin"])
    url = reverse("unit-edit", args=[station.slug])
    data = {"links-TOTAL_FORMS": 0, "links-INITIAL_FORMS": 0}
    assert client.post(url, {**data, "emblem": SimpleUploadedFile("ตรา.jpg", jpeg())}).status_code == 302
    assert Unit.objects.get(pk=station.pk).emblem
    assert 'name="emblem-clear"' in client.get(url).content.decode()  # the current emblem is shown with "Clear"
    assert client.post(url, data).status_code == 302 and Unit.objects.get(pk=station.pk).emblem  # no new file: kept
    assert client.post(url, {**data, "emblem-clear": "on"}).status_code == 302
    assert not Unit.objects.get(pk=station.pk).emblem


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("who", ["other-admin", "other-viewer"])
def test_photos_and_emblem_are_not_for_another_unit(client, users, station, who):
    Unit.objects.filter(pk=station.pk).update(emblem="units/emblems/x.jpg")
    Officer.objects.filter(key="bk-ittiwat").update(photo="officers/x.jpg")
    client.force_login(users[who])
    assert client.get(reverse("unit-emblem", args=[station.slug])).status_code == 403
    head = Officer.objects.get(key="bk-ittiwat")
    assert client.get(reverse("officer-photo", args=[station.slug, head.pk])).status_code == 403


def test_an_officer_of_another_unit_is_not_found(client, users, station):
    client.force_login(users["admin"])
    other = Officer.objects.get(key="bg-jessada")
    assert client.get(reverse("officer-edit", args=[station.slug, other.pk])).status_code == 404
    assert client.post(reverse("officer-head", args=[station.slug, other.pk])).status_code == 404


def test_retire_asks_for_a_handover_first_and_never_deletes(client, users, station):
    client.force_login(users["admin"])
    holder = Officer.objects.get(key="bk-chatchai")
    response = client.post(reverse("officer-retire", args=[station.slug, holder.pk]))
    assert response["Location"] == reverse("officer-reassign", args=[station.slug, holder.pk])
    assert Officer.objects.get(pk=holder.pk).is_active
    free = Officer.objects.create(unit=station, first_name="ว่าง", last_name="งาน")
    client.post(reverse("officer-retire", args=[station.slug, free.pk]))
    assert not Officer.objects.get(pk=free.pk).is_active
    client.post(reverse("officer-retire", args=[station.slug, free.pk]), {"reinstate": "1"})
    assert Officer.objects.get(pk=free.pk).is_active


def test_assignments_on_one_screen(client, users, station, django_assert_num_queries):
    client.force_login(users["admin"])
    url = reverse("assignments", args=[station.slug, FY])
    # session, user, unit, roles, items, officers, assignments and their two relations, the bulk form's officers
    with django_assert_num_queries(10):
        page = client.get(url)
    assert "O25" in page.content.decode()
    for n in range(3):
        Officer.objects.create(unit=station, first_name=f"เพิ่ม{n}", last_name="ใจดี")
    with django_assert_num_queries(10):
        client.get(url)
    items = list(Item.objects.for_unit(station, FY))
    thawit, chaiyakorn = Officer.objects.get(key="bk-thawit"), Officer.objects.get(key="bk-chaiyakorn")
    data = {}
    for item in items:
        assignment = Assignment.objects.filter(unit=station, item=item).first()
        data[f"responsible-{item.pk}"] = [o.pk for o in assignment.responsible.all()] if assignment else []
        data[f"controllers-{item.pk}"] = [o.pk for o in assignment.controllers.all()] if assignment else []
    o7 = next(i for i in items if i.code == "O7")
    data[f"responsible-{o7.pk}"] = [chaiyakorn.pk]
    response = client.post(url, data, follow=True)
    assert "1 ข้อ" in response.content.decode()
    assignment = Assignment.objects.get(unit=station, item=o7)
    assert list(assignment.responsible.all()) == [chaiyakorn]
    assert assignment.history.latest("history_date").history_user == users["admin"]
    client.post(url, {"bulk": "1", "items": "monthly", "officer": thawit.pk, "relation": "controllers"})
    monthly = [i for i in items if i.is_monthly]
    assert monthly and all(thawit in Assignment.objects.get(unit=station, item=i).controllers.all() for i in monthly)
    assert thawit not in Assignment.objects.get(unit=station, item=items[0]).controllers.all()


def test_assignments_refuse_an_officer_of_another_unit(client, users, station):
    client.force_login(users["admin"])
    o7 = Item.objects.for_unit(station, FY).get(code="O7")
    other = Officer.objects.get(key="bg-jessada")
    response = client.post(reverse("assignments", args=[station.slug, FY]),
                           {"bulk": "1", "items": "all", "officer": other.pk, "relation": "responsible"})
    assert response.status_code == 400 and other not in Assignment.objects.get(unit=station, item=o7).responsible.all()


def test_history_shows_who_when_before_and_after(client, users, station):
    client.force_login(users["admin"])
    client.post(reverse("officer-edit", args=[station.slug, Officer.objects.get(key="bk-thawit").pk]),
                {"rank": "ร.ต.อ.", "first_name": "ทวิช", "last_name": "ศรีกาญจน์", "position": "สว.(ป.)สน.บึงกุ่ม"})
    page = client.get(reverse("unit-history", args=[station.slug])).content.decode()
    assert "bk-admin" in page and "รอง สว.(ป.)สน.บึงกุ่ม" in page and "สว.(ป.)สน.บึงกุ่ม" in page and "ร.ต.อ." in page


def test_history_tells_yes_no_and_choices_in_words(db, station):
    """Issue 19: not "ยังปฏิบัติหน้าที่ในหน่วย: True → False", and no "หญิง: False" on a new officer."""
    officer = Officer.objects.create(unit=station, first_name="สมศรี", last_name="ใจดี", rank="ด.ต.")
    Officer.history.filter(id=officer.pk).update(history_date=timezone.now() - datetime.timedelta(days=1))  # not one change
    officer.is_active = False
    officer.save()
    entries = [e for e in unit_history(station) if officer.first_name in e.subject]
    added, changed = entries[-1], entries[0]
    assert added.kind == "+" and not [c for c in added.changes if c[2] in ("False", "ไม่ใช่", "no")]
    assert [(str(label), before, after) for label, before, after in changed.changes] == [
        (str(Officer._meta.get_field("is_active").verbose_name), "ใช่", "ไม่")]
    assert "True" not in str(entries) and "False" not in str(entries)


def test_a_copied_year_starts_its_history_with_the_officers_it_was_copied_with(db, station):
    """Issue 19: after the copy into a new year, changing an assignment shows the officers it had
    before (copied), not all of them as newly added."""
    from oit_items.rulebook.models import Framework

    framework = Framework.objects.get(unit_type=station.unit_type, fiscal_year=FY)
    framework.clone_to(2590)
    copied = Assignment.objects.get(unit=station, item__framework__fiscal_year=2590, item__code="O7")
    before = set(copied.responsible.all())
    assert before
    Assignment.history.filter(id=copied.pk).update(history_date=timezone.now() - datetime.timedelta(days=1))  # copied yesterday
    extra = Officer.objects.get(key="bk-thawit")
    copied.responsible.add(extra)
    entries = [e for e in unit_history(station) if "O7 (2590)" in e.subject]
    assert entries[-1].kind == "+"  # the copy is the starting point
    started = dict((str(label), after) for label, _before, after in entries[-1].changes)
    assert all(officer.display_name in started[str(Assignment._meta.get_field("responsible").verbose_name)] for officer in before)
    latest = entries[0]
    label, was, now = next(c for c in latest.changes if str(c[0]) == str(Assignment._meta.get_field("responsible").verbose_name))
    assert was != "—" and extra.display_name in now and extra.display_name not in was


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


def test_a_division_page_lists_its_units(client, users):
    client.force_login(users["division-supervisor"])
    page = client.get(reverse("unit-detail", args=["mpd-4"])).content.decode()
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in page


def test_edited_contacts_and_emblem_reach_the_public_pages_at_once(client, users, station, django_capture_on_commit_callbacks):
    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/o5/"):
        client.get(path)  # cached before the edit
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("unit-edit", args=[station.slug]), {
            "address": "ถนนนวมินทร์ เขตบึงกุ่ม", "phone": "02 377 3301", "email": "", "website": "", "latitude": "13.7856",
            "longitude": "100.6648", "links-TOTAL_FORMS": 1, "links-INITIAL_FORMS": 0, "links-0-label": "", "links-0-url": "",
            "emblem": SimpleUploadedFile("ตรา.jpg", jpeg())})
    client.logout()
    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/o5/"):
        body = client.get(path).content.decode()
        assert "02 377 3301" in body and "mlat=13.785600" in body and 'src="/u/sn-buengkum/emblem/?v=' in body, path


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
