"""The demo's people: the sample import file (units/data/sample/*.csv: the seed units, their
supervising units, their officers as the seeds name them and one login per role), imported the
way an admin imports, and the published demo password for the sample's logins (development only;
`load_demo` refuses without DEBUG). oit_items.demo adds the OIT item assignments of units/data/demo.yaml.

Idempotent: importing the same file changes nothing.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model

from units.models import Officer, Unit
from units.onboarding import jobs

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_FILE = DATA_DIR / "demo.yaml"
SAMPLE_FILES = [DATA_DIR / "sample" / name for name in ("units.csv", "officers.csv", "users.csv")]
DEMO_FISCAL_YEAR = 2567
PUBLISHING_UNITS = ("sn-buengkum", "imm-buengkan")


class DemoDataError(Exception):
    pass


def sample_files() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in SAMPLE_FILES]


def load_people() -> tuple[dict, dict, dict]:
    """The sample units, officers and logins through the real onboarding import; returns the units by
    slug, the officers by key and the counts. (oit_items.demo adds their item assignments.)"""
    check, _counts = jobs.run(sample_files(), apply=True, invite=False)
    if check.refused:
        raise DemoDataError("; ".join(e for r in check.results for e in r.errors))
    officers = {o.key: o for o in Officer.objects.filter(key__in=check.officers)}
    units = {u.slug: u for u in Unit.objects.filter(slug__in=check.units)}
    users = _demo_passwords(list(check.users))
    return units, officers, {"units": len(units), "officers": len(officers), "users": users}


def read(path: Path = DEMO_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _demo_passwords(usernames) -> int:
    """The sample's logins get the published demo password (README); nowhere else is a password set."""
    for user in get_user_model().objects.filter(username__in=usernames):
        if not user.has_usable_password():
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return len(usernames)
