"""Shared fixtures: the demo data (loaded once per session), one user per role on the demo
police station, the same roles on the other demo unit, supervisors above, and anonymous."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from units.models import Unit

IN_CI = os.environ.get("CI") == "true"
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", settings.BASE_DIR.parent / "shared" / "seeds"))
POLICE_SEED = "001_b3e245e352bc0d25.txt"
IMMIGRATION_SEED = "000_95422698b7bc3941.txt"


def pytest_configure(config):
    # Hashing a dozen demo passwords with PBKDF2 would dominate the suite's set-up.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once; each test runs in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))


def require(condition: bool, reason: str):
    """Skip when a machine lacks something — but fail under CI=true, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def seed_text():
    def read(name):
        path = SEEDS_DIR / name
        require(path.exists(), f"seed {path} not found (set SEEDS_DIR)")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def station(db):
    return Unit.objects.get(slug="sn-buengkum")


@pytest.fixture
def other_unit(db):
    return Unit.objects.get(slug="imm-buengkan")


def _user(username):
    return get_user_model().objects.get(username=username)


ROLES = ("admin", "responsible", "controller", "commander", "viewer")


@pytest.fixture
def users(db):
    """Own unit (bk-*), other unit (bg-*), supervisors and anonymous, by short name."""
    found = {role: _user(f"bk-{role}") for role in ROLES}
    found.update({f"other-{role}": _user(f"bg-{role}") for role in ROLES})
    found["hq-supervisor"] = _user("hq-supervisor")
    found["division-supervisor"] = _user("mpd4-supervisor")
    found["anonymous"] = AnonymousUser()
    return found


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-2567")
