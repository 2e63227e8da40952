"""National admins edit a framework in the staff UI with the loader's own validation, publish
it as a new version, and the units see what changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import readiness
from oit_items.evidence.models import ItemReadiness
from oit_items.evidence.permissions import period_of
from oit_items.rulebook import editing as framework_edit
from oit_items.rulebook.models import Framework, FrameworkDraft, FrameworkRelease, Item
from tests.conftest import approve_period, make_pdf

OCT = datetime.date(2023, 10, 1)


@pytest.fixture
def current(db):
    return Framework.objects.get(unit_type__code="police_station", fiscal_year=thaidate.fiscal_year(timezone.localdate()))


def item_data(**changes):
    data = {"code": "O26", "topic": "open_data", "title_th": "ข้อมูลเปิด", "title_en": "Open data", "guidance_th": "เผยแพร่ชุดข้อมูล",
            "guidance_en": "", "sub_requirements": "ชุดข้อมูลอย่างน้อย 1 ชุด | At least one data set",
            "rules": "- {type: links, min: 1}"}
    return {**data, **changes}


def start(client, framework):
    return client.post(reverse("framework-edit", args=[framework.pk]))


@pytest.mark.parametrize("field,value,message", [
    ("rules", "- {type: formatz}", "ไม่รู้จักกฎ"),
    ("rules", "- {type: periods, months: [13]}", "เลขเดือน"),
    ("rules", "- {type: formats, all_of: [[pdf, odt]]}", "formats.all_of"),
    ("rules", "- [type: links", "YAML"),
    ("title_th", "", "ชื่อภาษาไทย"),
    ("code", "X1", "O ตามด้วยตัวเลข"),
    ("code", "O7", "มีข้อ O7 อยู่แล้ว"),
])
def test_edits_get_the_loaders_validation_in_thai(client, national_admin, current, field, value, message):
    client.force_login(national_admin)
    start(client, current)
    response = client.post(reverse("framework-item-add", args=[current.pk]), item_data(**{field: value}))
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "ข้อมูลเปิด" in body or field == "title_th"  # what was typed comes back
    assert current.draft.item("O26") is None


def test_add_edit_retire_then_publish_and_units_see_it(client, national_admin, users, current, station):
    client.force_login(national_admin)
    start(client, current)
    assert client.post(reverse("framework-item-add", args=[current.pk]), item_data()).status_code == 302
    o7 = Item.objects.get(framework=current, code="O7")
    edit = client.get(reverse("framework-item", args=[current.pk, "O7"]))
    assert "periods" in edit.content.decode()
    form = edit.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["title_th"] = o7.title_th + " (ปรับปรุง)"
    assert client.post(reverse("framework-item", args=[current.pk, "O7"]), data).status_code == 302
    client.post(reverse("framework-item-retire", args=[current.pk, "O25"]))
    assert Item.objects.get(pk=o7.pk).title_th == o7.title_th  # units keep the published version meanwhile
    response = client.post(reverse("framework-publish", args=[current.pk]), {"note": "ตามประกาศ ป.ป.ช.", "final": "on"})
    assert response["Location"] == reverse("framework-changes", args=[current.pk])
    current.refresh_from_db()
    assert current.version == 2 and not current.provisional and not FrameworkDraft.objects.filter(framework=current).exists()
    assert Item.objects.get(pk=o7.pk).title_th.endswith("(ปรับปรุง)")
    assert Item.objects.get(framework=current, code="O25").retired
    assert Item.objects.for_unit(station, current.fiscal_year).filter(code="O26").exists()
    release = FrameworkRelease.objects.get(framework=current)
    assert {(c["code"], c["change"]) for c in release.changes} == {("O26", "added"), ("O7", "edited"), ("O25", "retired")}
    client.force_login(users["responsible"])
    workspace = client.get(reverse("workspace", args=[station.slug, current.fiscal_year])).content.decode()
    assert "ฉบับที่ 2" in workspace and reverse("framework-changes", args=[current.pk]) in workspace
    changes = client.get(reverse("framework-changes", args=[current.pk])).content.decode()
    assert "ตามประกาศ ป.ป.ช." in changes and "O26" in changes and "ชื่อภาษาไทย" in changes


def test_publishing_a_draft_with_nothing_new_is_refused(client, national_admin):
    framework = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    client.force_login(national_admin)
    start(client, framework)
    response = client.post(reverse("framework-publish", args=[framework.pk]), follow=True)
    assert "ไม่มีอะไรเปลี่ยน" in response.content.decode()
    framework.refresh_from_db()
    assert framework.version == 2


def test_a_stale_draft_is_not_published(client, national_admin, current):
    client.force_login(national_admin)
    start(client, current)
    client.post(reverse("framework-item-add", args=[current.pk]), item_data())
    Framework.objects.filter(pk=current.pk).update(version=5)  # a newer data file was loaded meanwhile
    response = client.post(reverse("framework-publish", args=[current.pk]), follow=True)
    assert "ยกเลิกฉบับร่าง" in response.content.decode() and not Item.objects.filter(framework=current, code="O26").exists()


@pytest.mark.parametrize("who", ["admin", "commander", "hq-supervisor"])
def test_only_national_admins_edit(client, users, current, who, division_admin):
    for user in (users[who], division_admin):
        client.force_login(user)
        assert client.get(reverse("frameworks")).status_code == 403
        assert client.post(reverse("framework-edit", args=[current.pk])).status_code == 403
        assert client.post(reverse("framework-publish", args=[current.pk])).status_code == 403
    assert client.get(reverse("framework-changes", args=[current.pk])).status_code == 200  # everyone may read


def test_anonymous_is_sent_to_login(client, current):
    for url in (reverse("frameworks"), reverse("framework-changes", args=[current.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_framework_list_costs_a_fixed_number_of_queries(client, national_admin, django_assert_num_queries):
    client.force_login(national_admin)
    with django_assert_num_queries(4):  # session, user, national admin?, frameworks
        client.get(reverse("frameworks"))


def test_new_rules_published_refresh_the_stored_readiness(users, station, o7, national_admin,
                                                         django_capture_on_commit_callbacks):
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")  # one link wanted
    evidence_service.add_link(period_of(station, o5, None), {"title": "ช่องทาง", "url": "https://example.go.th/q",
                                                             "about_date": OCT}, users["admin"])
    approve_period(users, station, o7, OCT, [("report.pdf", make_pdf())])
    assert ItemReadiness.objects.get(unit=station, item=o5).checks_passed
    draft = framework_edit.draft_for(o5.framework, national_admin)
    for entry in draft.items:
        if entry["code"] == "O5":
            entry["rules"] = [{"type": "links", "min": 2}]
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        framework_edit.publish(o5.framework, national_admin, note="สองช่องทาง")
    assert not ItemReadiness.objects.get(unit=station, item=o5).checks_passed
    assert readiness.stored_all() == readiness.recompute_all()
