"""scripts/system-deps.sh decides the same way every time, and changes nothing when
every package is there (CI runs it before the build and the tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REPO

SCRIPT = REPO / "scripts/system-deps.sh"


def _as_unprivileged(path: str | None = None) -> subprocess.CompletedProcess[str]:
    # As root, run it as `nobody`, the way a contributor without sudo would.
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.fail("needs runuser (util-linux) to run the script unprivileged")
        prefix = [runuser, "-u", "nobody", "--"]
    env = ["env", f"PATH={path}"] if path else []
    # A copy `nobody` may read, wherever the checkout is (a 0700 folder, say).
    copy = Path(tempfile.mkdtemp()) / SCRIPT.name
    copy.parent.chmod(0o755)
    shutil.copy2(SCRIPT, copy)
    copy.chmod(0o755)
    return subprocess.run(
        [*prefix, *env, "bash", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_everything_installed_is_decided_alike_twelve_times() -> None:
    # The font test once piped fc-list into `grep -q` under pipefail: 8 of 12 runs
    # failed with the fonts installed.
    for _ in range(12):
        done = _as_unprivileged()
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_missing_command_is_named_with_how_to_install_it() -> None:
    # A PATH holding every command the script looks for except LibreOffice's (in a
    # folder `nobody` may read).
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        path.chmod(0o755)
        for name in ("bash", "fc-list", "pdftoppm", "chromium", "git", "id"):
            found = shutil.which(name)
            if found is None:
                pytest.fail(f"needs {name} (scripts/system-deps.sh installs it)")
            (path / name).symlink_to(found)
        done = _as_unprivileged(str(path))
    assert done.returncode == 3, done.stderr
    assert done.stderr == (
        "missing system packages: libreoffice-writer-nogui; "
        "run: sudo apt-get install -y libreoffice-writer-nogui\n"
    )
