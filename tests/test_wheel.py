"""The wheel alone: built from this source, installed into a fresh virtual
environment outside the repository, it starts a library that checks, builds and
publishes, with no editable install and no file of this repository in reach.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from clausekit import __version__
from conftest import REPO, cli
from render_fixtures.helpers import pdf_text, squash
from starter_helpers import AMOUNT_WORDS


def _run(
    args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _source_copy(dest: Path) -> Path:
    """What a checkout of the repository at a tag holds for installing and releasing.

    A copy, so that setuptools' build/ and egg-info never land in the repository while
    other tests read it."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "action.yml"):
        shutil.copy2(REPO / name, dest / name)
    for folder in ("src", "requirements"):
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        shutil.copytree(REPO / folder, dest / folder, ignore=ignore)
    return dest


def _wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    source = _source_copy(tmp_path / "source")
    wheels = tmp_path / "wheels"
    done = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, source], tmp_path, env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = wheels.glob("clausekit-*.whl")
    assert wheel.name == f"clausekit-{__version__}-py3-none-any.whl"
    return wheel


def test_the_wheel_alone_starts_a_working_library(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    wheel = _wheel(tmp_path, env)
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp_path, env).returncode == 0
    bin_ = venv / "bin"
    # The wheel file itself; its dependencies from the package index (pip's cache).
    done = _run([bin_ / "pip", "install", "--quiet", wheel], tmp_path, env)
    assert done.returncode == 0, done.stdout + done.stderr
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"

    where = _run(
        [bin_ / "python", "-c", "import clausekit; print(clausekit.__file__)"], tmp_path, env
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    work = tmp_path / "work"
    work.mkdir()
    done = _run(["clausekit", "init", "contracts"], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    lib = work / "contracts"
    for args in (["clausekit", "check"], ["clausekit", "build", "--to", "md,docx,pdf"]):
        done = _run(args, lib, env)
        assert done.returncode == 0, done.stdout + done.stderr
    pdf = (lib / "dist/example/service-draft.pdf").read_bytes()
    assert squash(AMOUNT_WORDS["zh-CN"]) in squash("".join(pdf_text(pdf)))
    assert (lib / "dist/example/service-draft.docx").stat().st_size > 0

    site = _run(["mkdocs", "build", "--strict"], lib, env)
    assert site.returncode == 0, site.stdout + site.stderr
    assert (lib / "site/library/index.html").is_file()


def _action_inputs(step: dict[str, object], action: dict[str, object]) -> dict[str, str]:
    """A workflow step's `with:` over the action's defaults, as GitHub merges them."""
    inputs = action["inputs"]
    assert isinstance(inputs, dict)
    given = step.get("with") or {}
    assert isinstance(given, dict)
    return {name: str(given.get(name, spec.get("default", ""))) for name, spec in inputs.items()}


def test_the_action_installs_its_own_source_and_runs_a_new_librarys_review(
    tmp_path: Path,
) -> None:
    # The action as a new library's review workflow uses it, with no release of
    # clausekit on any package index: its install step installs the action's own
    # source and the locked dependencies (hash-checked), then the review step runs.
    action_path = _source_copy(tmp_path / "action")
    action = yaml.safe_load((action_path / "action.yml").read_text("utf-8"))
    steps = {s.get("id", s.get("name")): s for s in action["runs"]["steps"]}
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTION_PATH": str(action_path)}

    work = tmp_path / "work"
    work.mkdir()
    assert cli("init", work / "contracts", "--lang", "en").code == 0
    lib = work / "contracts"
    workflow = yaml.safe_load((lib / ".github/workflows/review.yml").read_text("utf-8"))
    [uses] = [s for s in workflow["jobs"]["review"]["steps"] if s.get("id") == "review"]
    inputs = _action_inputs(uses, action)
    assert inputs["clausekit-version"] == "source"

    out = tmp_path / "github-output"
    out.write_text("")
    env["GITHUB_OUTPUT"] = str(out)
    install = {
        "PYTHON": sys.executable,
        "VERSION": inputs["clausekit-version"],
        "VENVS": str(tmp_path / "venvs"),
    }
    done = _run(["bash", "-c", steps["install"]["run"]], work, env | install)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(f"clausekit {__version__}")
    [bin_line] = out.read_text().splitlines()
    bin_ = Path(bin_line.removeprefix("bin="))
    where = _run([bin_ / "python", "-c", "import clausekit; print(clausekit.__file__)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venvs"), where.stdout
    frozen = _run([bin_ / "pip", "freeze", "--exclude", "clausekit"], work, env).stdout
    locked = (action_path / "requirements/runtime.txt").read_text("utf-8")
    for line in frozen.splitlines():
        name = line.lower().replace("_", "-")  # the lock spells names as the index does
        assert f"\n{name} \\" in "\n" + locked.lower(), line  # exactly the locked version

    # The library's first pull request: a clause changed, its version bumped.
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(lib)]
    assert _run([*git, "add", "-A"], work, env).returncode == 0
    assert _run([*git, "commit", "-qm", "start"], work, env).returncode == 0
    clause = lib / "clauses/services/fees.md"
    text = clause.read_text("utf-8").replace("version: 1.0.0", "version: 1.1.0")
    text = text.replace(
        "within {{ fee.due_days }} days", "promptly, within {{ fee.due_days }} days"
    )
    text = text.replace(
        "changelog:\n", "changelog:\n  - {version: 1.1.0, date: 2027-01-05, note: x}\n"
    )
    clause.write_text(text, encoding="utf-8")
    assert _run([*git, "commit", "-qam", "bump"], work, env).returncode == 0

    summary = tmp_path / "summary"
    summary.write_text("")
    run_env = env | {
        "COMMAND": inputs["command"],
        "BASE": "HEAD~1",  # the workflow's origin/<base branch>, here the first commit
        "FORMATS": inputs["formats"],
        "SHARD": inputs["shard"],
        "OUTPUT": inputs["output"],
        "AUTHOR": "reviewer",
        "BIN": str(bin_),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = _run(["bash", "-c", steps["run"]["run"]], lib, run_env)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (lib / "review-dist/review.md").read_text("utf-8")
    assert "services/fees" in report and "1.1.0" in report
    assert (lib / "review-dist/example/service-draft.pdf").stat().st_size > 0
    assert any(p.name.endswith(".redline.docx") for p in (lib / "review-dist").rglob("*"))


def test_the_release_workflow_builds_checked_distributions(tmp_path: Path) -> None:
    # release.yml's build step as the runner runs it, on a copy of the tagged source:
    # the locked build and twine, the tag matched against __version__, `python -m
    # build`, `twine check --strict`.
    source = _source_copy(tmp_path / "source")
    workflow = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text("utf-8"))
    [step] = [s for s in workflow["jobs"]["build"]["steps"] if "run" in s]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["RUNNER_TEMP"] = str(tmp_path / "runner")
    (tmp_path / "runner").mkdir()
    wrong = _run(["bash", "-c", step["run"]], source, env | {"TAG": "v9.9.9"})
    assert wrong.returncode == 1
    assert f"tag v9.9.9 does not match clausekit {__version__}" in wrong.stdout
    done = _run(["bash", "-c", step["run"]], source, env | {"TAG": f"v{__version__}"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED" in done.stdout
    names = sorted(p.name for p in (source / "dist").iterdir())
    assert names == [f"clausekit-{__version__}-py3-none-any.whl", f"clausekit-{__version__}.tar.gz"]
