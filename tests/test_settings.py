import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)


def run_manage(*args, **env):
    dropped = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "ita.example.go.th", "SITE_URL": "https://ita.example.go.th",
              "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ita_portal", "REDIS_URL": "redis://127.0.0.1:6379/0"}


def test_production_mode_passes_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing, setting", [
    ({"SECRET_KEY": None}, "SECRET_KEY"),  # the development key
    ({"SECRET_KEY": "x"}, "SECRET_KEY"),
    ({"REDIS_URL": None}, "REDIS_URL"),  # every process its own cache
    ({"SITE_URL": None}, "SITE_URL"),  # QR codes and e-mails pointing at 127.0.0.1:8000
    ({"SITE_URL": "http://localhost:8000"}, "SITE_URL"),
])
def test_production_refuses_to_start_misconfigured(missing, setting):
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), **missing}
    env = {k: v for k, v in env.items() if v is not None}
    result = run_manage("check", "--deploy", **env)
    assert result.returncode != 0 and setting in result.stderr and "ita_portal.E00" in result.stderr, result.stderr
    started = subprocess.run([sys.executable, "-c", "import ita_portal.wsgi"], cwd=BASE_DIR, capture_output=True, text=True,
                             env={**{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}, **env})
    assert started.returncode != 0 and setting in started.stderr  # gunicorn would not start either


def test_a_configured_redis_that_does_not_answer_does_not_stop_the_start():
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "REDIS_URL": "redis://127.0.0.1:8149/0"}
    result = run_manage("check", "--deploy", **env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_in_development_links_follow_the_address_served(db, client, settings, tmp_path):
    """`make run PORT=8137`: the QR code a sign prints points at 8137, not the default 8000."""
    import shutil

    from tests.conftest import require

    require(shutil.which("zbarimg") is not None, "zbar-tools is needed")
    assert settings.SITE_URL_FOLLOWS_REQUEST  # no SITE_URL in the suite's environment
    png = client.get("/u/sn-buengkum/qr.png", {"path": "/u/sn-buengkum/"}, HTTP_HOST="127.0.0.1:8137")
    (tmp_path / "qr.png").write_bytes(png.content)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert decoded.stdout.strip() == "http://127.0.0.1:8137/u/sn-buengkum/"


def test_development_defaults_need_no_configuration():
    assert settings.TIME_ZONE == "Asia/Bangkok" and settings.LANGUAGE_CODE == "th"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True  # no REDIS_URL in the suite: tasks run in-process
    assert "locmem" in settings.CACHES["default"]["BACKEND"]


def test_thai_is_the_default_whatever_the_browser_says(db, client):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in body and "เข้าสู่ระบบ" in body


def test_switching_language_keeps_the_page(db, client):
    response = client.get(reverse("switch-language", args=["en"]), {"next": "/login/?next=/staff/"})
    assert response.status_code == 302 and response["Location"] == "/en/login/?next=/staff/"  # the English page
    body = client.get("/en/login/").content.decode()
    assert '<html lang="en">' in body and "Log in" in body
    assert client.get("/login/")["Location"] == "/en/login/"  # the choice is remembered on Thai addresses
    response = client.get(reverse("switch-language", args=["th"]), {"next": "/en/login/?next=/en/staff/"})
    assert response["Location"] == "/login/?next=/en/staff/"
    assert "เข้าสู่ระบบ" in client.get("/login/").content.decode()


def test_language_switch_never_redirects_off_site(db, client):
    response = client.get(reverse("switch-language", args=["en"]), {"next": "https://evil.example.com/"})
    assert response["Location"] == "/en/"  # the home page, in English
    assert client.get(reverse("switch-language", args=["xx"]), {"next": "/"}).cookies.get("django_language") is None


def test_thai_catalogue_is_complete():
    po = BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    untranslated = re.findall(r'^msgid "(.+)"$', result.stdout, flags=re.M)
    assert untranslated == []
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True).stdout
    assert "msgid" not in fuzzy


def test_every_template_string_is_in_the_catalogue():
    """No {% translate %} string in a template escaped the Thai catalogue."""
    po = (BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    po = po.replace('msgid ""\n"', 'msgid "').replace('"\n"', "")  # unwrap long entries
    source_ids = set()
    for path in list(BASE_DIR.glob("templates/**/*.html")):
        for match in re.finditer(r'{% (?:translate|trans) "([^"]+)"', path.read_text(encoding="utf-8")):
            source_ids.add(match.group(1))
    missing = [s for s in source_ids if f'msgid "{s}"' not in po]
    assert missing == []


def test_assets_are_served_by_the_portal_not_a_cdn(db, client):
    for path in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/htmx/htmx.min.js", "vendor/sarabun/thai-400.css"):
        assert finders.find(path), path
    body = client.get(reverse("home")).content.decode()
    body = re.sub(r'<link rel="alternate" hreflang="[^"]+" href="http://testserver/[^"]*">', "", body)  # the portal itself
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', body) if u.startswith(("http:", "https:", "//"))]
    assert external == []
    for path in BASE_DIR.glob("templates/**/*.html"):
        assert not re.search(r'(?:src|href)="(?:https?:)?//', path.read_text(encoding="utf-8")), path


def test_a_403_is_logged_on_one_line_and_a_500_keeps_its_traceback(db, client, caplog):
    """Every refused request printed a whole traceback on the console; a server error must still."""
    import logging

    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bg-admin"))  # another unit's admin
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/staff/units/sn-buengkum/ita/2567/").status_code == 403
    [refused] = [r for r in caplog.records if r.name == "django.request"]
    assert refused.levelname == "WARNING" and refused.exc_info is None and "Forbidden" in refused.getMessage()
    assert "Traceback" not in caplog.text
    caplog.clear()
    try:
        raise RuntimeError("a bug")
    except RuntimeError as error:
        logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=error, extra={"status_code": 500})
    [failed] = caplog.records
    assert failed.exc_info is not None and "Traceback" in caplog.text and "RuntimeError: a bug" in caplog.text
