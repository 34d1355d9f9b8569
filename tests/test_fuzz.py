"""Fuzzing `clausekit check` with mutated real library files: exit 0 or 1, a one-line
report per problem, never a traceback, in bounded time. A longer run: scripts/fuzz.py."""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from conftest import REPO
from fuzz_mutations import Mutation, check, library_files, mutations

# One library per test process (xdist workers each import this module), made at import:
# the strategy draws its files from it.
ROOT = Path(tempfile.mkdtemp(prefix="clausekit-fuzz-"))
atexit.register(shutil.rmtree, ROOT, True)
LINE = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning|info)\[[a-z0-9-]+\]: .+$")


def _library() -> Path:
    for name in ("clauses", "templates", "agreements"):
        shutil.copytree(REPO / name, ROOT / name)
    return ROOT


_library()
FILES = library_files(ROOT)


@settings(
    max_examples=30,
    deadline=20_000,  # ms per example: generous on a shared 2-core machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same 30 examples every run; scripts/fuzz.py explores
)
@given(mutation=mutations(ROOT, FILES))
def test_check_survives_mutated_files(mutation: Mutation) -> None:
    outcome = check(ROOT, mutation)
    assert outcome.code in (0, 1), (mutation, outcome)
    assert "Traceback" not in outcome.err
    if outcome.code == 1:
        lines = [ln for ln in outcome.out.splitlines()[:-1] if ln and not ln.startswith(" ")]
        problem_lines = lines or outcome.err.strip().splitlines()
        for line in problem_lines:
            assert LINE.match(line) or line.startswith("clausekit: error: "), line


def test_a_mutated_file_in_a_real_process(tmp_path: Path) -> None:
    """The same property through the installed command, for one truncated template."""
    for name in ("clauses", "templates", "agreements"):
        shutil.copytree(REPO / name, tmp_path / name)
    template = tmp_path / "templates" / "mutual-nda.yaml"
    template.write_bytes(template.read_bytes()[:200] + b"\xe4\xb8{{ }")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "clausekit"), "-C", str(tmp_path), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "templates/mutual-nda.yaml:1:" in proc.stdout
