"""Progress on measures and activities: dated text, photos validated by content and served only to
staff, a status; overdue rows (deadline passed, not done) stand out."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ita_portal.lib import stored
from measures import progress
from measures.models import Activity, Measure, MeasurePlan, ProgressPhoto, ProgressUpdate
from tests.conftest import make_pdf
from tests.data.measures_files import jpeg
from tests.test_evidence_views import stored_files

FY = 2567
BASE = "/staff/units/sn-buengkum/measures/2567/"


@pytest.fixture
def plan(station):
    return MeasurePlan.objects.get(unit=station, fiscal_year=FY)


@pytest.fixture
def sign(plan):
    return plan.measures.get(kind="no_gift_sign")


def post_progress(client, user, url, files=(), **fields):
    client.force_login(user)
    data = {"date": "5/3/2567", "text": "ติดป้ายแล้ว", "status": Measure.IN_PROGRESS, "caption": "ป้าย", **fields,
            "photos": [SimpleUploadedFile(name, content) for name, content in files]}
    return client.post(url, data)


@pytest.mark.parametrize("role", ["admin", "commander"])
def test_editors_record_progress_with_photos(client, users, sign, role, media_root):
    url = f"{BASE}measures/{sign.pk}/"
    response = post_progress(client, users[role], url, [("ป้าย No Gift.jpg", jpeg()), ("อีกมุม.png", jpeg(fmt="PNG"))],
                             status=Measure.DONE)
    assert response.status_code == 302 and response["Location"] == url
    update = ProgressUpdate.objects.get(measure=sign)
    assert update.date == datetime.date(2024, 3, 5) and update.text == "ติดป้ายแล้ว" and update.created_by == users[role]
    photos = list(update.photos.all())
    assert [p.original_name for p in photos] == ["ป้าย No Gift.jpg", "อีกมุม.png"]
    assert all(p.thumbnail and "ป้าย" not in p.file.name for p in photos)  # stored under random names
    sign.refresh_from_db()
    assert sign.status == Measure.DONE and sign.status_changed_at is not None and not sign.overdue


def test_photos_are_checked_by_content(client, users, sign, media_root):
    response = post_progress(client, users["admin"], f"{BASE}measures/{sign.pk}/", [("photo.jpg", make_pdf())])
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists()
    response = post_progress(client, users["admin"], f"{BASE}measures/{sign.pk}/", [("scan.pdf", make_pdf())])
    assert response.status_code == 400 and "scan.pdf" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_gps_and_camera_metadata_are_removed(users, sign):
    from PIL import Image

    image, out = Image.new("RGB", (40, 30)), io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    image.save(out, "JPEG", exif=exif)
    [checked] = progress.validate_photos([SimpleUploadedFile("a.jpg", out.getvalue())])
    update = progress.add_update(sign, users["admin"], datetime.date(2024, 3, 5), "x", Measure.IN_PROGRESS, [checked])
    stored = update.photos.get().file.read()
    assert b"PhoneMaker" not in stored


def test_photos_of_an_update_that_is_not_saved_are_deleted(users, sign, media_root, monkeypatch):
    photos = progress.validate_photos([SimpleUploadedFile("ป้าย.jpg", jpeg()), SimpleUploadedFile("อีกมุม.png", jpeg(fmt="PNG"))])

    def status_fails(target, status):
        assert len(stored_files(media_root)) == 4  # two photos and their thumbnails written…
        raise RuntimeError("the status could not be saved")

    monkeypatch.setattr(progress, "set_status", status_fails)
    with pytest.raises(RuntimeError, match="the status could not be saved"):
        progress.add_update(sign, users["admin"], datetime.date(2024, 3, 5), "x", Measure.DONE, photos)
    assert stored_files(media_root) == []  # …and deleted with the rollback
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists()


def test_a_file_is_stored_only_inside_stored_atomic(db, media_root):
    [photo] = progress.validate_photos([SimpleUploadedFile("ป้าย.jpg", jpeg())])
    with pytest.raises(RuntimeError, match=r"stored\.atomic\(\)"):
        stored.store(ProgressPhoto(extension=photo.extension), photo)
    assert stored_files(media_root) == []
    with stored.atomic():
        kept = ProgressPhoto(extension=photo.extension)
        stored.store(kept, photo)
    assert kept.file.read() == photo.content and kept.thumbnail.read() == photo.thumbnail
    with pytest.raises(RuntimeError, match=r"stored\.atomic\(\)"):
        stored.remember(kept.file)


@pytest.mark.parametrize("role", ["responsible", "controller", "viewer", "division-supervisor", "other-admin", "other-commander"])
def test_others_may_not_record_progress(client, users, sign, role):
    assert post_progress(client, users[role], f"{BASE}measures/{sign.pk}/").status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_activity_progress(client, users, plan):
    activity = plan.activities.order_by("order").first()
    response = post_progress(client, users["commander"], f"{BASE}activities/{activity.pk}/", status=Activity.DONE)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.DONE and activity.updates.get().activity_id == activity.pk


def test_photos_only_for_staff_of_the_unit(client, users, sign, media_root):
    post_progress(client, users["admin"], f"{BASE}measures/{sign.pk}/", [("a.jpg", jpeg())])
    photo = ProgressPhoto.objects.get()
    url = f"/staff/units/sn-buengkum/measures/photos/{photo.pk}/"
    client.logout()
    assert client.get(url)["Location"].startswith("/login/")
    for role in ("viewer", "controller", "division-supervisor"):
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert client.get(url + "thumbnail/").status_code == 200
    client.force_login(users["other-admin"])
    assert client.get(url).status_code == 404
    client.force_login(users["admin"])
    assert client.get(f"/staff/units/imm-buengkan/measures/photos/{photo.pk}/").status_code == 404
    assert not str(photo.file.name).startswith("/") and "/media/" not in client.get(f"{BASE}measures/{sign.pk}/").content.decode()


def test_overdue_rows_stand_out(client, users, plan):
    today = datetime.date.today()
    late = plan.measures.get(code="O6")  # due 31 Jan 2567, not done
    assert late.deadline == datetime.date(2024, 1, 31) and late.overdue
    future = plan.measures.get(code="O7")
    future.deadline = today + datetime.timedelta(days=30)
    future.save()
    done = plan.measures.get(code="O8")
    done.status = Measure.DONE
    done.save()
    assert not future.overdue and not done.overdue and not plan.measures.get(code="O1").overdue  # O1: no deadline
    assert set(Measure.objects.filter(plan=plan).overdue(today).values_list("code", flat=True)) >= {"O6", "O9"}
    assert "O8" not in Measure.objects.filter(plan=plan).overdue(today).values_list("code", flat=True)
    client.force_login(users["viewer"])
    page = client.get(BASE).content.decode()
    rows = {key: chunk for key, chunk in ((c.split('"', 1)[0], c) for c in page.split('data-measure="')[1:])}
    assert "data-overdue" in rows["o6"].split("</li>")[0] and "list-group-item-danger" in page
    assert "data-overdue" not in rows["o7"].split("</li>")[0]
    assert "data-overdue" not in rows["o8"].split("</li>")[0]
