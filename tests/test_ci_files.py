"""The GitHub workflows, action.yml and pre-commit files: linted by the real tools.

Checked both for this repository and for a library fresh from `clausekit init`:
actionlint, zizmor (the security linter; no finding at all) and check-jsonschema
against GitHub's schemas; every action pinned to the commits of `release.py`;
checkout credentials never persisted; no permission a job does not need.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clausekit import __version__
from clausekit.starter.release import ACTION_REPOSITORY, PINS, release_tag
from conftest import REPO, cli

BIN = Path(sys.executable).parent
REPO_WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
# The workflows a new library gets too; release.yml is this repository's own.
SHARED_WORKFLOWS = [p for p in REPO_WORKFLOWS if p.name != "release.yml"]
_USES = re.compile(r"^\s*(?:- )?uses:\s*(\S+)(?:\s*#\s*(\S+))?\s*$")


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ci") / "contracts"
    assert cli("init", root).code == 0
    return root


def _workflows(root: Path) -> list[Path]:
    return sorted((root / ".github/workflows").glob("*.yml"))


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_both_workflows_are_written(started: Path) -> None:
    names = [p.name for p in _workflows(started)]
    assert names == ["publish.yml", "review.yml"]
    assert [p.name for p in SHARED_WORKFLOWS] == names
    assert [p.name for p in REPO_WORKFLOWS] == ["publish.yml", "release.yml", "review.yml"]


def test_actionlint(started: Path) -> None:
    for root in (started, REPO):
        done = _run(BIN / "actionlint", *_workflows(root), cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing(started: Path) -> None:
    # The whole new library (workflows, .github/zizmor.yml, pre-commit config): exit
    # 0 is "no findings" of any severity.
    done = _run(BIN / "zizmor", "--offline", ".", cwd=started)
    assert done.returncode == 0, done.stdout + done.stderr
    # This repository's workflows and action. Its workflows run the action from
    # their own checkout (`uses: ./`), for which zizmor suggests GitHub's newer
    # `$/` syntax (a low "help" finding); actionlint and GitHub's schema know `./`.
    done = _run(
        BIN / "zizmor",
        "--offline",
        "--min-severity",
        "medium",
        ".github/workflows",
        "action.yml",
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_would_find_an_unpinned_action(tmp_path: Path) -> None:
    # The check above can fail: a tag instead of a commit is a high finding.
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    text = (REPO / ".github/workflows/publish.yml").read_text("utf-8")
    pin = PINS["actions/checkout"]
    bad.write_text(text.replace(pin.uses, "actions/checkout@v7"), encoding="utf-8")
    done = _run(BIN / "zizmor", "--offline", "--min-severity", "high", bad, cwd=tmp_path)
    assert done.returncode != 0
    assert "unpinned-uses" in done.stdout


def test_github_schemas(started: Path) -> None:
    workflows = [*_workflows(started), *REPO_WORKFLOWS]
    done = _run(
        BIN / "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        *workflows,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run(
        BIN / "check-jsonschema",
        "--builtin-schema",
        "vendor.github-actions",
        "action.yml",
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _uses(path: Path) -> list[tuple[str, str | None]]:
    lines = path.read_text("utf-8").splitlines()
    found = [_USES.match(line) for line in lines if not line.lstrip().startswith("#")]
    return [(m.group(1), m.group(2)) for m in found if m]


def test_every_action_is_pinned_to_a_known_commit(started: Path) -> None:
    own = f"{ACTION_REPOSITORY}@{release_tag()}"
    files = [*_workflows(started), *REPO_WORKFLOWS, REPO / "action.yml"]
    seen = set()
    for path in files:
        for ref, comment in _uses(path):
            if ref in ("./", own):
                seen.add(ref)
                continue
            action, _, commit = ref.partition("@")
            assert action in PINS, f"{path}: {ref} is not in release.PINS"
            pin = PINS[action]
            assert (commit, comment) == (pin.commit, pin.version), f"{path}: {ref} # {comment}"
            seen.add(action)
    assert seen == {*PINS, "./", own}  # every pin is used, and nothing else


def test_least_permissions_and_no_persisted_credentials(started: Path) -> None:
    for path in [*_workflows(started), *REPO_WORKFLOWS]:
        doc = yaml.safe_load(path.read_text("utf-8"))
        assert doc["permissions"] == {}, path
        for name, job in doc["jobs"].items():
            perms = job["permissions"]
            assert set(perms.values()) <= {"read", "write"}, (path, name)
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path, name)
        grants = {n: set(j["permissions"].items()) for n, j in doc["jobs"].items()}
        writers = {n for n, g in grants.items() if any(v == "write" for _, v in g)}
        expected = {
            "review.yml": {"comment"},
            "publish.yml": {"deploy"},
            "release.yml": {"github-release", "pypi"},
        }[path.name]
        assert writers == expected, path
        # The identity token that publishes to the package index: one job only.
        tokens = {n for n, g in grants.items() if ("id-token", "write") in g}
        assert (
            tokens
            == {"review.yml": set(), "publish.yml": {"deploy"}, "release.yml": {"pypi"}}[path.name]
        ), path


def test_workflows_install_this_release_from_its_own_source(started: Path) -> None:
    # The action at this release's tag, with its default install: the tag's own source
    # and locked dependencies, so the first run needs no release on the package index.
    for path in _workflows(started):
        doc = yaml.safe_load(path.read_text("utf-8"))
        steps = [s for job in doc["jobs"].values() for s in job["steps"]]
        own = [s for s in steps if s.get("uses") == f"{ACTION_REPOSITORY}@{release_tag()}"]
        assert own, path
        assert all("clausekit-version" not in s["with"] for s in own), path


def test_action_inputs_and_default_version() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
    inputs = action["inputs"]
    assert set(inputs) >= {
        "command",
        "base",
        "formats",
        "shard",
        "python-version",
        "clausekit-version",
    }
    assert inputs["clausekit-version"]["default"] == "source"
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")["run"]
    assert "--require-hashes" in install and "requirements/runtime.txt" in install
    assert action["runs"]["using"] == "composite"
    # Inputs reach the scripts through the environment, never spliced into them.
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_pre_commit_config_is_valid_and_uses_this_repositorys_hooks(started: Path) -> None:
    config = started / ".pre-commit-config.yaml"
    done = _run(BIN / "pre-commit", "validate-config", config, cwd=started)
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run(BIN / "pre-commit", "validate-manifest", ".pre-commit-hooks.yaml", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    [repo] = yaml.safe_load(config.read_text("utf-8"))["repos"]
    assert repo["repo"] == f"https://github.com/{ACTION_REPOSITORY}"
    assert repo["rev"] == release_tag()
    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert {h["id"] for h in repo["hooks"]} <= hooks
    assert "clausekit-versions" in config.read_text("utf-8")  # offered, for after the first commit


def test_docs_show_the_current_pins_and_release() -> None:
    text = (REPO / "docs/ci.md").read_text("utf-8")
    found = re.findall(r"uses: ([\w./-]+@\S+)(?: # (\S+))?", text)
    assert len(found) >= 4
    for ref, comment in found:
        action, _, at = ref.partition("@")
        if action == ACTION_REPOSITORY:
            assert at == release_tag(), ref
        else:
            assert (at, comment) == (PINS[action].commit, PINS[action].version), ref
    assert "clausekit-version" in text and f"clausekit=={__version__}" in text


def test_this_repository_runs_the_workflows_it_gives_new_libraries(started: Path) -> None:
    # The same jobs and steps; only the action comes from the checkout, installing
    # clausekit from this source tree. Header comments differ.
    for path in SHARED_WORKFLOWS:
        ours = path.read_text("utf-8")
        theirs = (started / ".github/workflows" / path.name).read_text("utf-8")
        theirs = theirs.replace(f"{ACTION_REPOSITORY}@{release_tag()}", "./")
        assert ours[ours.index("\nname: ") :] == theirs[theirs.index("\nname: ") :], path.name
