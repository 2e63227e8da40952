"""The reports staff pages: who may see them, who may enter data and ask for documents."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures import kinds
from reports.models import ProcurementMonth, RenderJob, StatisticsReport
from tests.test_reports_support import OCT, PURCHASES, edit_url, enter_procurement, render_url, status_url
from units.models import Officer, Role

DATASETS = ["operations", "statistics", "budget", "fund", "procurement"]
KINDS = ["monthly_report", "statistics", "budget", "investigation_fund", "procurement_announcements",
         "procurement_summary"]
INDEX = "/staff/units/sn-buengkum/reports/2567/"
FY = 2567


def view_urls():
    return ([INDEX, "/staff/units/sn-buengkum/reports/"] + [edit_url(d, "m10") for d in DATASETS]
            + [status_url(k, "m10") for k in KINDS])


def test_urls_are_where_the_issue_says():
    assert reverse("reports-index", args=["sn-buengkum", 2567]) == INDEX
    assert edit_url("procurement", "m10") == "/staff/units/sn-buengkum/reports/2567/data/procurement/m10/"


def test_anonymous_is_sent_to_login(client):
    for url in view_urls():
        assert client.get(url)["Location"].startswith("/login/"), url
    for kind in KINDS:
        assert client.post(render_url(kind, "m10"))["Location"].startswith("/login/")
    assert client.post(edit_url("procurement", "m10"))["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["admin", "responsible", "controller", "commander", "viewer"])
def test_another_units_people_are_refused(client, users, role):
    client.force_login(users[f"other-{role}"])
    for url in view_urls():
        assert client.get(url).status_code == 403, url
    assert client.post(render_url("procurement_summary", "m10")).status_code == 403
    assert enter_procurement(client, purchases=PURCHASES).status_code == 403
    assert not ProcurementMonth.objects.exists() and not RenderJob.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "controller", "commander", "division-supervisor"])
def test_those_who_do_not_prepare_the_item_see_the_data_read_only(client, users, role):
    client.force_login(users[role])
    for url in view_urls():
        assert client.get(url, follow=True).status_code == 200, url
    page = client.get(edit_url("procurement", "m10")).content.decode()
    assert "<fieldset disabled>" in page and 'data-action="render"' not in page
    assert enter_procurement(client, purchases=PURCHASES).status_code == 403
    assert client.post(render_url("procurement_summary", "m10")).status_code == 403
    assert not ProcurementMonth.objects.exists() and not RenderJob.objects.exists()


@pytest.mark.parametrize("role", ["responsible", "admin"])
def test_the_responsible_officer_and_the_admin_enter_data(client, users, role):
    client.force_login(users[role])
    for dataset in DATASETS:
        page = client.get(edit_url(dataset, "m10"))
        assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode(), dataset
    assert 'data-action="render"' in client.get(edit_url("procurement", "m10")).content.decode()
    assert enter_procurement(client, purchases=PURCHASES).status_code == 302
    assert ProcurementMonth.objects.get(month=OCT).purchases.count() == 2


def test_a_responsible_officer_of_other_items_may_not_enter_data(client, station):
    officer = Officer.objects.create(unit=station, rank="ส.ต.ต.", first_name="ทดสอบ", last_name="ไม่ได้รับมอบหมาย")
    officer.user = get_user_model().objects.create_user("bk-unassigned", password="x")
    officer.save()
    Role.objects.create(user=officer.user, unit=station, role=Role.RESPONSIBLE)
    client.force_login(officer.user)
    assert client.get(edit_url("procurement", "m10")).status_code == 200  # may look
    assert enter_procurement(client, purchases=PURCHASES).status_code == 403
    assert client.post(render_url("procurement_summary", "m10")).status_code == 403


def test_the_statistics_form_lists_the_categories_of_the_data_file(client, users):
    client.force_login(users["responsible"])
    page = client.get(edit_url("statistics", "m10")).content.decode()
    assert "กลุ่มที่ ๓ คดีประทุษร้ายต่อทรัพย์" in page and "จุดสกัด" in page
    client.force_login(users["other-admin"])
    immigration = client.get(edit_url("statistics", "m10", slug="imm-buengkan")).content.decode()
    assert "การแจ้งที่พักอาศัยของคนต่างด้าว (ตม.30)" in immigration and "กลุ่มที่ ๓" not in immigration


def test_a_period_outside_the_year_is_not_found(client, users):
    client.force_login(users["responsible"])
    assert client.get(edit_url("procurement", "m13")).status_code == 404
    assert client.get(edit_url("nonsense", "m10")).status_code == 404
    assert client.post(render_url("nonsense", "m10")).status_code == 404


def test_the_list_page_shows_months_with_data_and_job_states(client, users, station):
    client.force_login(users["responsible"])
    enter_procurement(client, purchases=PURCHASES)
    RenderJob.objects.create(kind="procurement_summary", unit=station, month=OCT, fiscal_year=2567, state=RenderJob.FAILED, error="x")
    page = client.get(INDEX).content.decode()
    procurement = page.split('data-dataset="procurement"')[1].split("</section>")[0]
    assert 'data-month="m10" data-entered="1" data-state="failed"' in procurement
    assert 'data-month="m11" data-entered="0"' in procurement


def test_the_list_page_runs_a_fixed_number_of_queries(client, users, station, django_assert_num_queries):
    client.force_login(users["responsible"])
    client.get(INDEX)  # warm the session
    # session, user, unit, roles, items, assignments (+2 prefetches), jobs, the officer of the user,
    # and the months with data of each dataset (budget: plan spending and notes).
    with django_assert_num_queries(16):
        assert client.get(INDEX).status_code == 200
    for month in (10, 11, 12):
        StatisticsReport.objects.create(unit=station, month=OCT.replace(month=month), counts={"crimes.group1.received": 3})
        RenderJob.objects.create(kind="statistics", unit=station, month=OCT.replace(month=month), fiscal_year=2567, state=RenderJob.DONE)
    enter_procurement(client, purchases=PURCHASES)
    with django_assert_num_queries(16):  # more data, same queries
        assert client.get(INDEX).status_code == 200


def test_the_workspace_partial_links_to_the_reports(station):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    html = render_to_string("reports/partials/workspace_links.html", {"unit": station, "space": SimpleNamespace(fiscal_year=2567)})
    assert f'href="{INDEX}"' in html


def test_a_refusal_asked_through_htmx_answers_the_row_with_the_reason(client, users, other_unit):
    client.force_login(users["other-admin"])
    response = client.post(reverse("measures-render", args=[other_unit.slug, FY, kinds.SIGN_EIT]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ยังไม่ได้กำหนดที่อยู่แบบวัด EIT กรุณาบันทึกในหน้าแผนก่อน" in page and "data-refused" in page
    assert page.startswith("<li") and "<html" not in page  # the row htmx swaps in, not the whole page
    assert not RenderJob.objects.filter(unit=other_unit, kind=kinds.SIGN_EIT).exists()


@pytest.mark.parametrize("role, linked", [
    ("responsible", True), ("controller", True), ("commander", True), ("admin", True), ("viewer", True),
    ("other-admin", False), ("hq-supervisor", False),
])
def test_my_work_links_to_the_monthly_reports_of_the_users_units(client, users, role, linked):
    client.force_login(users[role])
    response = client.get(reverse("my-work"))
    page, year = response.content.decode(), response.context["work"].fiscal_year  # the current fiscal year
    assert (f'href="/staff/units/sn-buengkum/reports/{year}/"' in page) == linked
    if role == "other-admin":  # their own unit's reports instead
        assert f'href="/staff/units/imm-buengkan/reports/{year}/"' in page


@pytest.mark.parametrize("role", ["responsible", "viewer", "division-supervisor"])
def test_the_report_items_pages_link_to_the_monthly_reports(client, users, role):
    client.force_login(users[role])
    for code, linked in (("o7", True), ("o11", True), ("o15", True), ("o1", False), ("o5", False)):
        response = client.get(f"/staff/units/sn-buengkum/ita/2567/{code}/")
        assert response.status_code == 200 and (f'href="{INDEX}"' in response.content.decode()) == linked, code
    client.force_login(users["other-admin"])
    assert client.get("/staff/units/sn-buengkum/ita/2567/o7/").status_code == 403
