"""Staff pages of the integrity measures: who may see, who may edit, and how many queries the list
pages cost (the same however many rows)."""

import pytest
from django.urls import reverse

from measures import kinds
from measures.models import Measure, MeasurePlan
from reports.models import RenderJob

FY = 2567
BASE = "/staff/units/sn-buengkum/measures/2567/"
ROLES = ["admin", "responsible", "controller", "commander", "viewer"]
EDITORS = {"admin", "commander"}


@pytest.fixture
def plan(station):
    return MeasurePlan.objects.get(unit=station, fiscal_year=FY)


def view_pages(plan):
    measure, activity = plan.measures.first(), plan.activities.first()
    return [BASE, BASE + "calendar/", BASE + "quotas/", BASE + "documents/", f"{BASE}measures/{measure.pk}/",
            f"{BASE}activities/{activity.pk}/", BASE + f"documents/{kinds.SIGN_MANUAL}/status/"]


def edit_pages(plan):
    measure, activity, phase, quota = plan.measures.first(), plan.activities.first(), plan.phases.first(), plan.quotas.first()
    return [BASE + "edit/", f"{BASE}measures/{measure.pk}/edit/", f"{BASE}activities/{activity.pk}/edit/",
            BASE + "measures/add/oit/", BASE + "activities/add/", BASE + "calendar/add/", f"{BASE}calendar/{phase.pk}/edit/",
            BASE + "quotas/add/", f"{BASE}quotas/{quota.pk}/edit/"]


def test_anonymous_is_sent_to_login(client, plan):
    for url in view_pages(plan) + edit_pages(plan) + ["/staff/units/sn-buengkum/measures/"]:
        assert client.get(url)["Location"].startswith("/login/"), url
    assert client.post(BASE + "documents/sign_manual/render/")["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ROLES + ["division-supervisor", "hq-supervisor"])
def test_the_units_people_and_supervisors_see_everything_editors_edit(client, users, plan, role):
    client.force_login(users[role])
    for url in view_pages(plan):
        assert client.get(url).status_code == 200, url
    may_edit = role in EDITORS
    for url in edit_pages(plan):
        assert client.get(url).status_code == (200 if may_edit else 403), url
    page = client.get(BASE).content.decode()
    assert (reverse("measures-plan-edit", args=["sn-buengkum", FY]) in page) == may_edit


@pytest.mark.parametrize("role", ROLES)
def test_another_units_people_are_refused(client, users, plan, role):
    client.force_login(users[f"other-{role}"])
    for url in view_pages(plan) + edit_pages(plan):
        assert client.get(url).status_code == 403, url
    assert client.post(BASE + "documents/sign_manual/render/").status_code == 403


def test_home_goes_to_the_latest_plan(client, users):
    client.force_login(users["viewer"])
    assert client.get("/staff/units/sn-buengkum/measures/")["Location"] == BASE


def test_a_year_without_plan(client, users):
    client.force_login(users["admin"])
    page = client.get("/staff/units/sn-buengkum/measures/2568/").content.decode()
    assert reverse("measures-plan-edit", args=["sn-buengkum", 2568]) in page
    assert client.get("/staff/units/sn-buengkum/measures/2568/calendar/").status_code == 404
    assert client.get("/staff/units/sn-buengkum/measures/1999/").status_code == 404
    response = client.post("/staff/units/sn-buengkum/measures/2568/edit/", {"title": "มาตรการ 2568", "print_calendar": "on"})
    assert response.status_code == 302 and MeasurePlan.objects.filter(unit__slug="sn-buengkum", fiscal_year=2568).exists()


def test_editing_the_plan(client, users, plan):
    client.force_login(users["commander"])
    data = {"title": plan.title, "eit_survey_url": "https://itap.nacc.go.th/eit/abc", "briefing_date": "1/3/2567",
            "briefing_place": "ห้องประชุม", "print_calendar": "on", "thai_digits": "on"}
    assert client.post(BASE + "edit/", data).status_code == 302
    plan.refresh_from_db()
    assert plan.eit_survey_url == "https://itap.nacc.go.th/eit/abc" and plan.briefing_place == "ห้องประชุม"
    assert client.post(BASE + "edit/", {**data, "briefing_date": "1/3/2024"}).status_code == 400  # a CE year


def test_adding_a_measure_links_its_item_and_officers(client, users, plan, station):
    client.force_login(users["admin"])
    chatchai = station.officers.get(key="bk-chatchai")
    response = client.post(BASE + "measures/add/oit/", {
        "area": "oit", "code": "o7", "aspect": "รายงานประจำเดือน (เพิ่ม)", "points": "ทุกเดือน", "deadline": "28/2/2567",
        "responsible": [chatchai.pk], "people": ""})
    assert response.status_code == 302
    measure = Measure.objects.get(aspect="รายงานประจำเดือน (เพิ่ม)")
    assert measure.code == "O7" and measure.item.code == "O7" and list(measure.responsible.all()) == [chatchai]
    assert measure.order > plan.measures.exclude(pk=measure.pk).filter(area="oit").order_by("-order").first().order
    bad = client.post(BASE + "measures/add/oit/", {"area": "oit", "code": "O99", "aspect": "x"})
    assert bad.status_code == 400
    foreign = users["other-admin"].officer
    bad = client.post(BASE + "measures/add/oss/", {"area": "oss", "aspect": "x", "responsible": [foreign.pk]})
    assert bad.status_code == 400  # officers of another unit cannot be chosen


def test_produce_enqueues_once_after_commit(client, users, django_capture_on_commit_callbacks):
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(BASE + "documents/measures_document/render/")
    assert response.status_code == 302 and len(callbacks) == 1
    job = RenderJob.objects.get(kind="measures_document", unit__slug="sn-buengkum", fiscal_year=FY)
    assert job.state == RenderJob.QUEUED and job.requested_by == users["admin"]
    status = client.get(BASE + "documents/measures_document/status/").content.decode()
    assert 'hx-trigger="every 2s"' in status and 'data-state="queued"' in status
    assert client.post(BASE + "documents/unknown/render/").status_code == 404
    assert client.get(BASE + "documents/measures_document/render/").status_code == 405


def test_a_failed_job_says_why(client, users, station):
    RenderJob.objects.create(kind="progress_report", unit=station, fiscal_year=FY, state=RenderJob.FAILED,
                             error="ValueError: ไม่มีแบบอักษร")
    client.force_login(users["viewer"])
    page = client.get(BASE + "documents/").content.decode()
    assert "ValueError: ไม่มีแบบอักษร" in page and 'data-state="failed"' in page


# --- queries ---------------------------------------------------------------------------------------

def add_rows(plan, count=5):
    for n in range(count):
        measure = Measure.objects.create(plan=plan, key=f"extra-{n}", area="oss", aspect=f"เพิ่ม {n}", order=90 + n)
        measure.responsible.set(plan.unit.officers.all()[:2])


@pytest.mark.parametrize("page, queries", [
    ("", 14), ("calendar/", 12), ("quotas/", 7), ("documents/", 6),
])
def test_list_pages_cost_a_fixed_number_of_queries(client, users, plan, django_assert_num_queries, page, queries):
    client.force_login(users["viewer"])
    client.get(BASE + page)  # warm: the session and the user
    with django_assert_num_queries(queries):
        assert client.get(BASE + page).status_code == 200
    add_rows(plan)
    with django_assert_num_queries(queries):
        assert client.get(BASE + page).status_code == 200


EIT_LINK = BASE + "eit-link/"
SURVEY = "https://itas.example.go.th/eit/sn-buengkum/2567"


@pytest.mark.parametrize("role, status", [("admin", 302), ("commander", 302), ("responsible", 403), ("controller", 403),
                                          ("viewer", 403), ("division-supervisor", 403), ("other-admin", 403)])
def test_who_sets_the_eit_survey_address(client, users, plan, role, status):
    client.force_login(users[role])
    assert client.get(EIT_LINK).status_code == (200 if status == 302 else 403)
    assert client.post(EIT_LINK, {"eit_survey_url": SURVEY}).status_code == status
    plan.refresh_from_db()
    assert (plan.eit_survey_url == SURVEY) == (status == 302)


def test_anonymous_may_not_set_it(client, plan):
    assert client.post(EIT_LINK, {"eit_survey_url": SURVEY})["Location"].startswith("/login/")


def test_the_eit_address_shows_on_the_unit_home_and_the_quotas_page(client, users, plan):
    client.get("/u/sn-buengkum/")  # cached before: saving must refresh it
    client.force_login(users["admin"])
    assert 'action="/staff/units/sn-buengkum/measures/2567/eit-link/"' in client.get(BASE + "quotas/").content.decode()
    client.post(EIT_LINK, {"eit_survey_url": SURVEY})
    assert SURVEY in client.get(BASE + "quotas/").content.decode()
    client.logout()
    home = client.get("/u/sn-buengkum/").content.decode()
    assert f'href="{SURVEY}"' in home and 'src="data:image/svg+xml' in home and "แบบวัด EIT ปี 2567" in home


def test_a_wrong_address_is_refused_with_what_was_typed(client, users, plan):
    client.force_login(users["admin"])
    response = client.post(EIT_LINK, {"eit_survey_url": "not a url at all"})
    assert response.status_code == 400 and "not a url at all" in response.content.decode()


def test_a_year_without_a_plan_gets_one_for_its_eit_address(client, users, other_unit):
    client.force_login(users["other-admin"])
    url = "/staff/units/imm-buengkan/measures/2590/eit-link/"
    assert client.post(url, {"eit_survey_url": SURVEY}).status_code == 302
    assert MeasurePlan.objects.get(unit=other_unit, fiscal_year=2590).eit_survey_url == SURVEY


def test_the_briefing_photos_are_attached_on_the_plans_form_and_removed_there(client, users, plan, media_root,
                                                                            django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import make_pdf
    from tests.data.measures_files import jpeg

    client.force_login(users["commander"])
    data = {"title": plan.title, "print_calendar": "on", "briefing_photo_caption": "ผกก. ชี้แจงแก่เจ้าหน้าที่"}
    photos = [SimpleUploadedFile("ประชุม 1.jpg", jpeg()), SimpleUploadedFile("ประชุม 2.png", jpeg(fmt="PNG"))]
    assert client.post(BASE + "edit/", {**data, "briefing_photos": photos}).status_code == 302
    stored = list(plan.briefing_photos.all())
    assert [p.original_name for p in stored] == ["ประชุม 1.jpg", "ประชุม 2.png"]
    assert all(p.caption == "ผกก. ชี้แจงแก่เจ้าหน้าที่" and "ประชุม" not in p.file.name for p in stored)
    refused = client.post(BASE + "edit/", {**data, "briefing_photos": [SimpleUploadedFile("x.jpg", make_pdf())]})
    assert refused.status_code == 400 and plan.briefing_photos.count() == 2  # checked by content, like any upload
    page = client.get(BASE + "edit/").content.decode()
    assert 'name="remove_briefing_photos"' in page and "ประชุม 1.jpg" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(BASE + "edit/", {**data, "remove_briefing_photos": [stored[0].pk]}).status_code == 302
    assert list(plan.briefing_photos.all()) == stored[1:]
    assert not stored[0].file.storage.exists(stored[0].file.name)  # the file goes with its row
