"""Make the tutorial's pictures from the tutorial's own files: `python scripts/docs_screenshots.py`.

docs/img/tutorial-docx-page.png      the agreement's DOCX, page 1 (LibreOffice -> PDF -> pdftoppm)
docs/img/tutorial-zh-docx-page.png   the same for docs/tutorial.zh-CN.md's agreement
docs/img/tutorial-review-report.png  `clausekit diff` of the tutorial's change (Chromium)
docs/img/tutorial-site.png           the template's page on the library's site (Chromium)

Each library is a tutorial page replayed into `clausekit init --bare` (as the docs
test does), up to the step that signs the agreement. It takes about a minute, so it is not
part of `make build`: run it after changing the tutorial and commit the pictures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, served
from docs_library import Block, replay, run_cli, titled_blocks

REPO = Path(__file__).resolve().parents[1]
IMG = REPO / "docs" / "img"
AGREEMENT = "acme/2027-support-review"
ZH_AGREEMENT = "shenzhen/2027-kefu"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Legal Team",
    "GIT_AUTHOR_EMAIL": "legal@acme.example",
    "GIT_COMMITTER_NAME": "Legal Team",
    "GIT_COMMITTER_EMAIL": "legal@acme.example",
    "GIT_AUTHOR_DATE": "2027-02-15T10:00:00Z",
    "GIT_COMMITTER_DATE": "2027-02-15T10:00:00Z",
}
REPORT_CSS = """
body { font: 15px/1.5 -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', sans-serif;
       color: #1f2328; max-width: 880px; margin: 24px auto; padding: 0 24px; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 4px 10px; }
del { background: #ffebe9; color: #82071e; } ins { background: #dafbe1; color: #116329; }
code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
"""


def clausekit(root: Path, *args: str) -> str:
    code, output = run_cli(["-C", str(root), *args])
    if code != 0:
        raise SystemExit(f"clausekit {' '.join(args)} failed (exit {code}):\n{output}")
    return output


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **GIT_ENV})


def until_signed(blocks: list[Block]) -> list[Block]:
    """The tutorial's blocks before the agreement is marked executed."""
    for i, block in enumerate(blocks):
        if "status: executed" in block.text:
            return blocks[:i]
    return blocks


def tutorial_library(root: Path, page: str = "tutorial.md", lang: str = "en") -> None:
    clausekit(root.parent, "init", "--bare", "--lang", lang, str(root))
    problems = replay(until_signed(titled_blocks(REPO / "docs" / page)), root)
    if problems:
        raise SystemExit("\n".join(problems))


def docx_page(root: Path, work: Path, agreement: str, name: str) -> None:
    clausekit(root, "build", agreement, "--to", "docx", "-o", str(work / "dist"))
    docx = work / "dist" / f"{agreement}.docx"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(work)},  # LibreOffice's profile, kept out of ~
    )
    pdf = work / (docx.stem + ".pdf")
    target = IMG / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )


def review_report(root: Path) -> str:
    """The report of the tutorial's change (written acceptance), as HTML."""
    import markdown

    git(root, "add", "-A")
    git(root, "commit", "-qm", "Consulting agreement")
    git(root, "switch", "-qc", "written-acceptance")
    fees = root / "clauses" / "consulting" / "fees.md"
    text = fees.read_text(encoding="utf-8")
    text = text.replace("Client's\n   acceptance", "Client's\n   written acceptance")
    if "written acceptance" not in text:
        raise SystemExit(f"{fees}: the tutorial's payment clause changed; update this script")
    text = text.replace("version: 1.0.0", "version: 1.0.1", 1)
    entry = "{version: 1.0.1, date: 2027-02-15, note: The balance falls due on written acceptance}"
    text = text.replace("changelog:\n", f"changelog:\n  - {entry}\n")
    fees.write_text(text, encoding="utf-8")
    clausekit(root, "check", "--base", "main")
    git(root, "commit", "-qam", "The balance falls due on written acceptance")
    report = clausekit(root, "diff", "--base", "main")
    body = markdown.markdown(report, extensions=["tables"])
    return f"<!doctype html><meta charset=utf-8><style>{REPORT_CSS}</style><body>{body}"


def screenshots(root: Path, report_html: Path) -> None:
    from playwright.sync_api import sync_playwright

    site = root / "site"
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site)],
        cwd=root,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    with sync_playwright() as p, served(site) as url:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.goto(report_html.as_uri())
            page.screenshot(path=str(IMG / "tutorial-review-report.png"), full_page=True)
            page.goto(url + "library/templates/consulting/")
            page.screenshot(path=str(IMG / "tutorial-site.png"))
        finally:
            browser.close()


def main() -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clausekit-docs-") as tmp:
        work = Path(tmp)
        root = work / "consulting"
        tutorial_library(root)
        docx_page(root, work, AGREEMENT, "tutorial-docx-page")
        zh_root = work / "consulting-zh"
        tutorial_library(zh_root, "tutorial.zh-CN.md", "zh-CN")
        docx_page(zh_root, work / "zh", ZH_AGREEMENT, "tutorial-zh-docx-page")
        report_html = work / "report.html"
        report_html.write_text(review_report(root), encoding="utf-8")
        screenshots(root, report_html)
    for name in sorted(IMG.glob("tutorial-*.png")):
        print(name.relative_to(REPO))


if __name__ == "__main__":
    main()
