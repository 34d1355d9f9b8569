"""Version discipline (`check --base`), locks and their bad input, on real git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from clausekit.review.textdiff import inline_diff, tokens
from clausekit.review.versions import bump_level
from conftest import cli
from review_fixtures import Repo

CONF = "clauses/zh/confidentiality.md"
PAYMENT = "clauses/en/payment.md"
ACME = "services/acme"
ACME_LOCK = "agreements/services/acme.lock.json"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Version 1 of the fixture library, its executed agreement locked in a second commit."""
    repo = Repo.create(tmp_path / "lib")
    lock(repo, ACME)
    repo.commit("lock services/acme")
    return repo


def check(repo: Repo, *args: str) -> tuple[int, list[str]]:
    result = cli("-C", repo.root, "check", *args)
    assert "Traceback" not in result.err
    return result.code, [line for line in result.out.splitlines() if "error[" in line]


def version_errors(repo: Repo, rev: str = "HEAD") -> list[str]:
    """Only the version problems (a breaking change also breaks agreements, reported apart)."""
    return [e for e in check(repo, "--base", rev)[1] if "error[version]" in e]


def bump(repo: Repo, rel: str, old: str, new: str, note: str = "wording") -> None:
    repo.edit(rel, f"version: {old}", f"version: {new}")
    repo.edit(
        rel, "changelog:\n", f"changelog:\n  - {{version: {new}, date: 2026-12-01, note: {note}}}\n"
    )


# --- check --base -----------------------------------------------------------------


def test_unchanged_version_is_an_error_naming_the_file(repo: Repo) -> None:
    repo.edit(CONF, "严格保密", "妥善保密")
    code, errors = check(repo, "--base", "HEAD")
    assert code == 1
    assert errors == [
        f"{CONF}:3:10: error[version]: changed since HEAD (the text changed) but version is "
        "still 1.0.0: bump it to 1.0.1 and add a changelog entry"
    ]


def test_bump_with_changelog_is_clean(repo: Repo) -> None:
    repo.edit(CONF, "严格保密", "妥善保密")
    bump(repo, CONF, "1.0.0", "1.0.1")
    repo.commit("wording")
    assert check(repo, "--base", "HEAD~1") == (0, [])


def test_bump_without_changelog_entry(repo: Repo) -> None:
    repo.edit(CONF, "严格保密", "妥善保密")
    repo.edit(CONF, "version: 1.0.0", "version: 1.0.1")
    code, errors = check(repo, "--base", "HEAD")
    assert code == 1
    assert any(
        e.startswith(f"{CONF}:3:10: error[version]: version 1.0.1 has no changelog") for e in errors
    )


def test_new_required_variable_needs_a_major_bump(repo: Repo) -> None:
    repo.edit(
        PAYMENT,
        "    required: [total]\n",
        "    required: [total]\n  late_rate: {type: number, format: percent, description: Rate}\n",
    )
    repo.edit(PAYMENT, "statutory rate", "rate of {{ late_rate | percent }}")
    bump(repo, PAYMENT, "1.0.0", "1.1.0")
    assert version_errors(repo) == [
        f"{PAYMENT}:3:10: error[version]: 1.0.0 -> 1.1.0 is a minor bump, but required "
        "variable 'late_rate' was added since HEAD: that needs a major bump (2.0.0)"
    ]
    bump(repo, PAYMENT, "1.1.0", "2.0.0")
    assert version_errors(repo) == []


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("minimum: 1, description", "minimum: 1, default: 3, description", None),
        ("{type: integer, minimum: 1,", "{type: string,", "changed type from integer to string"),
    ],
)
def test_retyping_needs_major_and_a_default_does_not(
    repo: Repo, old: str, new: str, reason: str | None
) -> None:
    repo.edit(CONF, old, new)
    bump(repo, CONF, "1.0.0", "1.1.0")
    errors = version_errors(repo)
    if reason is None:
        assert errors == []
    else:
        assert len(errors) == 1 and reason in errors[0] and "major bump (2.0.0)" in errors[0]


def test_removed_variable_and_lower_version(repo: Repo) -> None:
    repo.edit(CONF, "{{ confidentiality.years }} 年", "三年")
    text = repo.read(CONF)
    start, end = text.index("variables:"), text.index("changelog:")
    repo.write(CONF, text[:start] + text[end:])
    bump(repo, CONF, "1.0.0", "1.0.1")
    errors = version_errors(repo)
    assert "variable 'confidentiality' was removed" in errors[0]
    repo.edit(CONF, "version: 1.0.1", "version: 0.9.0")
    errors = version_errors(repo)
    assert "version 0.9.0 is lower than 1.0.0 at HEAD" in errors[0]


def test_guidance_only_needs_no_bump_and_template_changes_count(repo: Repo) -> None:
    repo.edit(CONF, "status: approved\n", "status: approved\nguidance: 可协商\n")
    repo.edit("templates/services.yaml", "  - en/payment\n", "  - en/payment\n  - en/term\n")
    _, errors = check(repo, "--base", "HEAD")
    assert [e.split(":")[0] for e in errors] == [
        "templates/services.yaml",
        "templates/services.yaml",
    ]
    assert any("error[version]" in e for e in errors)


def test_base_at_a_tag_and_a_branch(repo: Repo) -> None:
    repo.git("tag", "v1")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit(CONF, "严格保密", "妥善保密")
    repo.commit("wording without bump")
    for rev in ("v1", "main"):
        code, errors = check(repo, "--base", rev)
        assert code == 1 and errors[0].startswith(f"{CONF}:3:10: error[version]")
    assert check(repo, "--base", "feature") == (0, [])


def test_github_format_for_version_problems(repo: Repo) -> None:
    repo.edit(CONF, "严格保密", "妥善保密")
    result = cli("-C", repo.root, "check", "--base", "HEAD", "--format", "github")
    assert result.code == 1
    assert f"::error file={CONF},line=3,col=10,title=version::" in result.out


# --- bad revisions -----------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["diff"], ["redline", "nda/draft"]])
def test_revision_that_does_not_exist(repo: Repo, command: list[str]) -> None:
    result = cli("-C", repo.root, *command, "--base", "no-such-branch")
    assert result.code == 1
    assert (
        result.err
        == "clausekit: error: revision 'no-such-branch' does not exist in this repository\n"
    )


def test_not_a_git_repository(tmp_path: Path) -> None:
    import shutil

    from review_fixtures import LIBRARY

    shutil.copytree(LIBRARY, tmp_path / "plain")
    result = cli("-C", tmp_path / "plain", "check", "--base", "HEAD")
    assert result.code == 1 and "is not in a git repository" in result.err
    assert result.err.count("\n") == 1


def test_shallow_clone_says_to_unshallow(repo: Repo, tmp_path: Path) -> None:
    repo.edit(CONF, "严格保密", "妥善保密")
    bump(repo, CONF, "1.0.0", "1.0.1")
    repo.commit("v2")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    result = cli("-C", clone, "check", "--base", "HEAD~1")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "git fetch --unshallow" in result.err


# --- locks --------------------------------------------------------------------------


def lock(repo: Repo, *args: str) -> None:
    result = cli("-C", repo.root, "lock", *args)
    assert result.code == 0, result.err


def test_executed_agreement_must_be_locked(repo: Repo) -> None:
    (repo.root / ACME_LOCK).unlink()
    code, errors = check(repo)
    assert code == 1
    assert errors == [
        "agreements/services/acme.yaml:2:9: error[lock]: executed agreements must be locked: "
        "run `clausekit lock services/acme`"
    ]
    result = cli("-C", repo.root, "lock")
    assert result.code == 0 and f"locked: {ACME_LOCK}" in result.out
    assert check(repo) == (0, [])
    assert "nothing to lock" in cli("-C", repo.root, "lock").out


def test_lock_is_stable_sorted_and_lists_versions(repo: Repo) -> None:
    first = repo.read(ACME_LOCK)
    data = json.loads(first)
    assert first == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["template"]["id"] == "services" and data["template"]["version"] == "1.0.0"
    assert sorted(data["clauses"]) == ["en/payment", "en/term"]
    assert data["clauses"]["en/payment"]["version"] == "1.0.0"
    result = cli("-C", repo.root, "lock", ACME)
    assert "up to date" in result.out and repo.read(ACME_LOCK) == first


def assemble_and_docx(repo: Repo, out: Path) -> tuple[str, bytes]:
    md = cli("-C", repo.root, "assemble", ACME)
    assert md.code == 0, md.err
    built = cli("-C", repo.root, "build", ACME, "--to", "docx", "-o", out)
    assert built.code == 0, built.err
    return md.out, (out / f"{ACME}.docx").read_bytes()


def test_locked_agreement_rebuilds_byte_identically_after_its_clauses_change(
    repo: Repo, tmp_path: Path
) -> None:
    before = assemble_and_docx(repo, tmp_path / "before")
    # The library moves on twice: the locked version is only in history now.
    repo.edit(PAYMENT, "within thirty days", "within fifteen days")
    bump(repo, PAYMENT, "1.0.0", "1.0.1")
    repo.commit("payment 1.0.1")
    repo.edit("clauses/en/term.md", "starts on", "commences on")
    bump(repo, "clauses/en/term.md", "1.0.0", "1.0.1")
    repo.edit(PAYMENT, "fifteen", "ten")
    bump(repo, PAYMENT, "1.0.1", "1.0.2")
    repo.commit("term and payment")
    after = assemble_and_docx(repo, tmp_path / "after")
    assert after[0] == before[0] and "thirty days" in after[0]
    assert after[1] == before[1]
    # Unlocked agreements of the same template follow the library.
    beta = cli("-C", repo.root, "assemble", "services/beta").out
    assert "within ten days" in beta and "commences on" in beta
    assert check(repo, "--base", "HEAD~2") == (0, [])
    # `lock --update` moves the lock to the current versions.
    lock(repo, ACME, "--update")
    assert "within ten days" in cli("-C", repo.root, "assemble", ACME).out


def test_locked_version_from_history_in_a_subfolder_library(tmp_path: Path) -> None:
    import shutil

    from review_fixtures import LIBRARY

    top = tmp_path / "repo"
    shutil.copytree(LIBRARY, top / "contracts")
    repo = Repo(top)
    repo.git("init", "-q", "-b", "main")
    lib = Repo(top / "contracts")
    lock(lib, ACME)
    repo.commit("v1 locked")
    before = cli("-C", lib.root, "assemble", ACME).out
    lib.edit(PAYMENT, "thirty", "sixty")
    repo.commit("v2")
    assert cli("-C", lib.root, "assemble", ACME).out == before


def test_hand_edited_lock_is_one_line_exit_1(repo: Repo) -> None:
    repo.edit(ACME_LOCK, '"version": "1.0.0"', '"version": "1.0.1"')
    result = cli("-C", repo.root, "assemble", ACME)
    assert result.code == 1 and result.err.count("\n") == 1
    assert result.err.startswith(f"clausekit: error: {ACME_LOCK}: checksum mismatch")
    code, errors = check(repo)
    assert code == 1 and errors[0].startswith(f"{ACME_LOCK}:1:1: error[lock]: checksum mismatch")
    repo.write(ACME_LOCK, "{not json")
    result = cli("-C", repo.root, "build", ACME, "--to", "md")
    assert result.code == 1 and "not valid JSON" in result.err


def test_lock_naming_a_version_that_never_existed(repo: Repo) -> None:
    # A lock written for an uncommitted edit that was then thrown away: that text is
    # in no commit, so it cannot be found.
    repo.edit(PAYMENT, "thirty", "forty")
    lock(repo, ACME, "--update")
    repo.git("checkout", "-q", "--", PAYMENT)
    result = cli("-C", repo.root, "assemble", ACME)
    assert result.code == 1 and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "locked clause en/payment 1.0.0" in result.err
    assert "is neither clauses/en/payment.md nor any version of it in git history" in result.err
    code, errors = check(repo)
    assert code == 1 and "error[lock]: locked clause en/payment" in errors[0]


def test_lock_in_a_shallow_clone_says_to_unshallow(repo: Repo, tmp_path: Path) -> None:
    repo.edit(PAYMENT, "thirty", "sixty")
    bump(repo, PAYMENT, "1.0.0", "1.0.1")
    repo.commit("moved on")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    result = cli("-C", clone, "assemble", ACME)
    assert result.code == 1 and "git fetch --unshallow" in result.err


def test_stale_lock_and_orphan_lock_are_check_problems(repo: Repo) -> None:
    repo.edit("agreements/services/acme.yaml", "12000", "13000")
    code, errors = check(repo)
    assert code == 1 and "changed since it was locked" in errors[0]
    lock(repo, ACME)  # re-lock records the agreement, keeps the versions
    assert check(repo) == (0, [])
    repo.write("agreements/gone.lock.json", "{}")
    code, errors = check(repo)
    assert errors == [
        "agreements/gone.lock.json:1:1: error[lock]: no agreement agreements/gone.yaml "
        "for this lock: delete the lock"
    ]


# --- text diff units ---------------------------------------------------------------------


def test_tokens_split_chinese_into_characters_and_keep_jinja_whole() -> None:
    assert tokens("保密 {{ a.b | money }} 年 don't") == [
        "保", "密", " ", "{{ a.b | money }}", " ", "年", " ", "don't",
    ]  # fmt: skip
    pieces = inline_diff("双方均应严格保密", "双方均应妥善保密")
    assert [(p.op, p.text) for p in pieces] == [
        ("equal", "双方均应"),
        ("delete", "严格"),
        ("insert", "妥善"),
        ("equal", "保密"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "level"),
    [
        ("1.0.0", "1.0.0", "same"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.0.9", "1.1.0", "minor"),
        ("1.9.9", "2.0.0", "major"),
        ("1.1.0", "1.0.9", "lower"),
        ("1.0.0-rc.1", "1.0.0", "patch"),
        ("x", "1.0.0", None),
    ],
)
def test_bump_level(old: str, new: str, level: str | None) -> None:
    assert bump_level(old, new) == level


# --- CI and pre-commit files ----------------------------------------------------------


def test_workflows_and_pre_commit_hooks_are_plausible() -> None:
    import yaml

    from conftest import REPO

    review = yaml.safe_load((REPO / ".github/workflows/review.yml").read_text(encoding="utf-8"))
    assert "pull_request" in review[True]  # YAML 1.1 reads the key `on` as True
    steps = review["jobs"]["review"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    # The commands are the action's (action.yml; tests/test_action_script.py runs them).
    [action] = [s for s in steps if s.get("uses") == "./"]
    assert action["with"]["command"] == "review"
    assert action["with"]["base"] == "origin/${{ github.base_ref }}"
    runs = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["runs"]
    script = "\n".join(str(s.get("run", "")) for s in runs["steps"])
    for command in (
        "clausekit check --format github",
        'clausekit check --base "$BASE"',
        'clausekit diff --base "$BASE"',
        "clausekit build",
        "clausekit redline",
        "mkdocs build --strict",
    ):
        assert command in script
    comment = "\n".join(str(s.get("run", "")) for s in review["jobs"]["comment"]["steps"])
    assert "gh pr comment" in comment
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert publish[True]["push"]["branches"] == ["main"]
    shards = [s for s in publish["jobs"]["documents"]["steps"] if s.get("uses") == "./"]
    assert [s["with"]["command"] for s in shards] == ["build"]
    assert shards[0]["with"]["shard"] == "${{ matrix.shard }}/4"
    build = publish["jobs"]["build"]
    assert build["needs"] == "documents"
    commands = [s["with"]["command"] for s in build["steps"] if s.get("uses") == "./"]
    assert commands == ["check", "site"]
    joined = "\n".join(str(s.get("run", "")) for s in build["steps"])
    assert 'clausekit" manifest' in joined or "clausekit manifest" in joined
    assert publish["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert by_id["clausekit-check"]["entry"] == "clausekit check"
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["pass_filenames"] is False
