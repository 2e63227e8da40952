"""The set-up scripts as a normal user runs them on Debian: PATH without /sbin, any Python 3.11–3.13,
and `make run` asking only for what running needs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.conftest import require

SCRIPTS = Path(settings.BASE_DIR) / "scripts"
USUAL_PATH = "/usr/local/bin:/usr/bin:/bin"  # Debian's PATH for a normal user: no /sbin


def as_normal_user(command, path=USUAL_PATH):
    env = {"PATH": path, "HOME": "/tmp", "LANG": "C.UTF-8"}
    if os.getuid() == 0:  # CI runs as root: drop to nobody, as a developer's own account would be
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_ensure_system_passes_for_a_normal_user_when_everything_is_there():
    require(Path("/usr/bin/python3").exists() and shutil.which("setpriv"), "Debian's python3 and setpriv")
    result = as_normal_user(["bash", str(SCRIPTS / "ensure-system.sh"), "test"])
    assert result.returncode == 0, result.stdout + result.stderr  # Pango found although ldconfig is in /sbin


def test_any_supported_python_is_found(tmp_path):
    (tmp_path / "python3").symlink_to(sys.executable)  # e.g. Debian 13, whose python3 is 3.13
    result = subprocess.run(["/bin/bash", str(SCRIPTS / "find-python.sh")], env={"PATH": str(tmp_path)},
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == str(tmp_path / "python3"), result.stdout


def test_running_asks_only_for_what_running_needs():
    script = (SCRIPTS / "ensure-system.sh").read_text()
    run_needs = script[script.index("RUN_NEEDS=("):script.index("TEST_NEEDS=(")]
    for test_only in ("chromium", "zbar-tools", "poppler-utils", "redis-server"):
        assert test_only not in run_needs
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    [setup] = [line for line in makefile.splitlines() if line.startswith("setup:")]
    assert "test" not in setup and "scripts/ensure-system.sh run" in makefile
    runtime = (Path(settings.BASE_DIR) / "requirements.txt").read_text()
    assert "pytest" not in runtime and "playwright" not in runtime
