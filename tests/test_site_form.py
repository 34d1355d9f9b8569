"""The "new agreement" form pages in headless Chromium (Debian's), served on 127.0.0.1.

One site is built for the module (the example library, with `repo_url`, plus a
template that adds a list, a choice and a clause behind a `when`); one browser
serves every test.  What the form gives is saved as an agreement and held to
`clausekit check` and `clausekit assemble`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_fixtures import REPO, copy_library, mkdocs_build
from test_site_pages import build_plain, plain_config

sys.path.insert(0, str(REPO / "scripts"))
from browser import chromium, served

CLAUSEKIT = Path(sys.executable).parent / "clausekit"
pytestmark = pytest.mark.needs("chromium")
REPO_URL = "https://github.com/example/contracts"

EXTRA_CLAUSE = """\
---
title: 培训课程与授课方式
version: 1.0.0
status: approved
lang: zh-CN
variables:
  sessions:
    type: array
    items: {type: string, minLength: 1}
    description: 培训课程名称
  teaching_lang:
    type: string
    enum: [中文, 英文]
    description: 授课语言
  onsite:
    type: boolean
    description: 是否在甲方现场授课
changelog:
  - {version: 1.0.0, date: 2026-11-20, note: 首次发布}
---
1. 培训课程包括：{{ sessions | join('、') }}。
2. 授课语言为{{ teaching_lang }}，
{% if onsite %}在甲方现场授课{% else %}在乙方培训场所授课{% endif %}。
"""
ONSITE_CLAUSE = """\
---
title: 现场授课
version: 1.0.0
status: approved
lang: zh-CN
variables:
  site_contact:
    type: string
    minLength: 1
    description: 甲方现场联系人及电话
changelog:
  - {version: 1.0.0, date: 2026-11-20, note: 首次发布}
---
乙方在甲方现场授课的，由{{ site_contact }}负责协调场地与设备。
"""
EXTRA_VALUES: dict[str, Any] = {
    "sessions": ["沟通技巧", "投诉处理"],
    "teaching_lang": "中文",
    "onsite": True,
    "site_contact": "13800138000",  # a phone number YAML would read as a number
}


def _library(root: Path) -> None:
    """The example library with `repo_url`, and a `training-form` template."""
    config = (root / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(
        config + f"\nrepo_url: {REPO_URL}\nedit_uri: edit/trunk/docs/\n", "utf-8"
    )
    (root / "clauses/extra").mkdir()
    (root / "clauses/extra/sessions.md").write_text(EXTRA_CLAUSE, "utf-8")
    (root / "clauses/extra/onsite.md").write_text(ONSITE_CLAUSE, "utf-8")
    template = (root / "templates/customer-service-training.yaml").read_text("utf-8")
    template = template.replace(
        "  - training/location\n",
        '  - training/location\n  - extra/sessions\n  - clause: extra/onsite\n    when: "onsite"\n',
    )
    (root / "templates/training-form.yaml").write_text(template, "utf-8")
    written = yaml.safe_load(
        (root / "agreements/customer-service-training/2026-shenzhen-final.yaml").read_text()
    )
    written["template"] = "training-form"
    written["variables"].update(EXTRA_VALUES)
    (root / "agreements/training-form").mkdir()
    (root / "agreements/training-form/by-hand.yaml").write_text(
        yaml.safe_dump(written, allow_unicode=True, sort_keys=False), "utf-8"
    )


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_library(tmp_path_factory.mktemp("form") / "lib", downloads=False)
    _library(root)
    return root


@pytest.fixture(scope="module")
def base_url(library: Path) -> Iterator[str]:
    built = mkdocs_build(library, library.parent / "site")
    assert built.code == 0, built.output
    yield from _serve(built.site)


@pytest.fixture(scope="module")
def pages_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same library's site from `clausekit pages` files, built by Zensical when it
    is installed (it runs no MkDocs plugin), else by MkDocs without the plugin."""
    root = copy_library(tmp_path_factory.mktemp("form-pages") / "lib", downloads=False)
    _library(root)
    pages = _clausekit(root, "pages")
    assert pages.returncode == 0, pages.stderr
    engine = "zensical" if importlib.util.find_spec("zensical") else "mkdocs"
    config = plain_config(root, root / "docs" / ".nav.yml")
    built = build_plain(config, root / "site", engine=engine)
    assert built.returncode == 0, built.stdout + built.stderr
    yield from _serve(root / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class FormPage:
    """A form page, with every console error and failed request it gave."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        # mkdocs-material asks GitHub's API for the repository's stars: answer offline.
        self.context.route(
            "https://api.github.com/**",
            lambda route: route.fulfill(status=200, body="{}", content_type="application/json"),
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(url)
        self.page.wait_for_selector("#ck-form[data-ready=true]")

    def field(self, path: str) -> Any:
        return self.page.locator(f'#ck-form [name="{path}"]')

    def fill(self, values: dict[str, Any], prefix: str = "") -> None:
        """Each value into its field, one by one, as a person would."""
        for key, value in values.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                self.fill(value, path + ".")
            elif isinstance(value, list):
                add = self.page.locator(f'[data-schemapath="root.{path}"] .json-editor-btn-add')
                for i, item in enumerate(value):
                    add.first.click()
                    self.field(f"{path}.{i}").fill(str(item))
            elif isinstance(value, bool):
                self.field(path).set_checked(value)
            elif self.field(path).evaluate("e => e.tagName") == "SELECT":
                self.field(path).select_option(str(value))
            else:
                self.field(path).fill(str(value))

    def start(self, aid: str, status: str) -> None:
        self.page.fill("#agreement-id", aid)
        self.page.select_option("#status", status)

    def yaml_text(self) -> str:
        """The YAML once it has settled: the editor reports a typed value a moment
        after the keystroke, so read until two reads 200 ms apart agree."""
        text = str(self.page.inner_text("#agreement-yaml"))
        for _ in range(50):
            self.page.wait_for_timeout(200)
            again = str(self.page.inner_text("#agreement-yaml"))
            if again == text:
                break
            text = again
        return text

    def invalid(self) -> dict[str, str]:
        """Field name -> its message, for every field marked invalid (once every mark
        has its message: the editor may be drawing a field again)."""
        self.yaml_text()  # the values settled first
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('#ck-form [aria-invalid=true]')].every("
            "e => document.getElementById(e.getAttribute('aria-describedby')))"
        )
        return dict(
            self.page.eval_on_selector_all(
                "#ck-form [aria-invalid=true]",
                "els => els.map(e => [e.name, document.getElementById("
                "e.getAttribute('aria-describedby')).textContent])",
            )
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def form(browser: Any, base_url: str) -> Iterator[Any]:
    opened: list[FormPage] = []

    def open_form(tid: str) -> FormPage:
        opened.append(FormPage(browser, f"{base_url}new/{tid}/"))
        return opened[-1]

    yield open_form
    for f in opened:
        assert f.errors == [], f.errors  # no JavaScript error on any form page
        f.close()


def _clausekit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(CLAUSEKIT), *args], cwd=root, capture_output=True, text=True, env=env, check=False
    )


def _same_as_by_hand(library: Path, text: str, aid: str, by_hand: str) -> str:
    """Saves the form's YAML as agreement `aid`; `check` passes and `assemble` prints
    what it prints for the hand-written agreement.  Returns `check`'s output."""
    path = library / "agreements" / f"{aid}.yaml"
    path.write_text(text, "utf-8")
    try:
        checked = _clausekit(library, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        ours = _clausekit(library, "assemble", aid)
        theirs = _clausekit(library, "assemble", by_hand)
        assert ours.returncode == 0 and theirs.returncode == 0, ours.stderr + theirs.stderr
        assert ours.stdout == theirs.stdout
        assert len(ours.stdout) > 2000
        return checked.stdout + checked.stderr
    finally:
        path.unlink()


def test_nda_form_gives_the_hand_written_agreement(form: Any, library: Path) -> None:
    by_hand = "mutual-nda/2026-shenzhen-hangzhou-final"
    written = yaml.safe_load((library / f"agreements/{by_hand}.yaml").read_text("utf-8"))
    f = form("mutual-nda")
    f.start("mutual-nda/from-form", "final")
    assert not f.page.is_enabled("#download-yaml")  # nothing filled in yet
    f.page.fill("#agreement-title", written["title"])
    values = dict(written["variables"])
    values["effective_date"] = values["effective_date"].isoformat()
    f.fill(values)
    assert f.invalid() == {}
    assert f.page.is_enabled("#download-yaml")
    text = f.yaml_text()
    assert text.startswith("template: mutual-nda\nstatus: final\ntitle: ")
    assert "  effective_date: 2026-12-01\n" in text
    _same_as_by_hand(library, text, "mutual-nda/from-form", by_hand)
    # Labels are the variables' descriptions, in the template's language.
    label = f.page.locator("[data-schemapath='root.return_days'] label").first.inner_text()
    assert "返还" in label or "日" in label


def test_zh_training_form_gives_the_hand_written_agreement(form: Any, library: Path) -> None:
    by_hand = "training-form/by-hand"
    written = yaml.safe_load((library / f"agreements/{by_hand}.yaml").read_text("utf-8"))
    f = form("training-form")
    f.start("training-form/from-form", "final")
    f.page.fill("#agreement-title", written["title"])
    values = written["variables"]
    values["term"] = {k: v.isoformat() for k, v in values["term"].items()}
    values["fee"] = {"total": "120,000.00"}  # grouped, with cents: 120000
    f.fill(values)
    assert f.field("onsite").get_attribute("type") == "checkbox"
    assert f.field("term.start").get_attribute("type") == "date"
    assert f.field("teaching_lang").evaluate("e => e.tagName") == "SELECT"
    assert f.invalid() == {}
    text = f.yaml_text()
    assert "    total: 120000.00\n" in text
    assert "  site_contact: '13800138000'\n" in text  # quoted: YAML would read a number
    assert "  sessions:\n    - 沟通技巧\n    - 投诉处理\n" in text
    print(text)
    print(_same_as_by_hand(library, text, "training-form/from-form", by_hand))
    # The preview shows the values as they are filled in.
    preview = f.page.inner_text(".ck-form-preview")
    assert "沟通技巧" in preview and "120000.00" in preview
    # Amounts without grouping are read the same.
    f.field("fee.total").fill("120000")
    assert "    total: 120000\n" in f.yaml_text()


def test_invalid_values_are_marked_and_block_the_download(form: Any) -> None:
    f = form("training-form")
    f.start("training-form/bad", "final")
    f.fill({"acceptance_days": "61"})
    invalid = f.invalid()
    assert invalid["acceptance_days"] == "61 大于最大值 60"  # check's words, in Chinese
    assert invalid["party_a.name"] == "必填项 'name' 未填写"  # required in a final agreement
    assert f.page.locator("[role=alert]").count() >= len(invalid)
    assert not f.page.is_enabled("#download-yaml")
    f.fill({"fee": {"total": "1.005"}})
    assert "最多两位小数" in f.invalid()["fee.total"]
    # In a draft, values may be left out: only the wrong ones are marked.
    f.page.select_option("#status", "draft")
    assert set(f.invalid()) == {"acceptance_days", "fee.total"}
    f.fill({"acceptance_days": "60", "fee": {"total": "1.00"}})
    assert f.invalid() == {}
    assert f.page.is_enabled("#download-yaml")
    f.page.fill("#agreement-id", "training-form/Bad Name")
    assert "无效的编号" in f.invalid()["agreement-id"]
    assert not f.page.is_enabled("#download-yaml")
    f.page.fill("#agreement-id", "training-form/good")
    assert f.page.is_enabled("#download-yaml")
    with f.page.expect_download() as saved:
        f.page.click("#download-yaml")
    assert saved.value.suggested_filename == "good.yaml"


def test_when_switch_hides_its_values(form: Any, library: Path) -> None:
    f = form("training-form")
    f.start("training-form/when-off", "final")
    contact = f.page.locator("[data-schemapath='root.site_contact']")
    assert contact.is_hidden()  # `onsite` is off: site_contact is not asked for
    f.fill({"onsite": True})
    # The editor shows and hides a field after the change event: wait for it (a
    # timeout fails the test).
    contact.wait_for(state="visible", timeout=5000)
    assert f.invalid()["site_contact"] == "必填项 'site_contact' 未填写"
    f.fill({"site_contact": "王五 020-1234 5678"})
    assert "site_contact" in f.yaml_text()
    f.fill({"onsite": False})
    contact.wait_for(state="hidden", timeout=5000)
    assert "site_contact" not in f.invalid()
    assert "site_contact" not in f.yaml_text()
    assert "  onsite: false\n" in f.yaml_text()
    # A draft with the switch off is a valid agreement for `check`.
    f.page.select_option("#status", "draft")
    path = library / "agreements/training-form/when-off.yaml"
    path.write_text(f.yaml_text(), "utf-8")
    try:
        checked = _clausekit(library, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
    finally:
        path.unlink()


def test_propose_opens_a_new_file_with_the_yaml(form: Any) -> None:
    f = form("mutual-nda")
    f.start("mutual-nda/proposed", "draft")
    f.fill({"purpose": "联合开发: 第一期", "copies": "30%"})
    assert "write" not in f.invalid().get("copies", "")  # zh words
    assert f.invalid()["copies"] == "请写 30，而不是 30%（百分比写作数字）"
    f.fill({"copies": "2"})
    f.yaml_text()  # the editor reports the typed value a moment after the keystroke
    f.page.wait_for_selector("#propose[href]")  # fails after 20 s without a link
    href = f.page.get_attribute("#propose", "href")
    assert href is not None
    url = urllib.parse.urlsplit(href)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO_URL}/new/trunk"
    query = urllib.parse.parse_qs(url.query)
    assert query["filename"] == ["agreements/mutual-nda/proposed.yaml"]
    assert query["value"] == [f.yaml_text()]
    data = yaml.safe_load(query["value"][0])
    assert data["variables"]["purpose"] == "联合开发: 第一期"  # quoted: `: ` would split it
    # A long agreement does not fit a link: the download instead, with a message.
    f.fill({"purpose": "长" * 3000})
    f.yaml_text()
    f.page.wait_for_selector("#propose:not([href])")  # fails after 20 s with a link
    assert f.page.get_attribute("#propose", "href") is None
    with f.page.expect_download():
        f.page.click("#propose")
    assert "下载" in f.page.inner_text("#ck-propose-note")


def test_every_template_has_a_linked_form_in_its_language(form: Any, base_url: str) -> None:
    f = form("customer-service-training-en")
    f.start("customer-service-training-en/x", "final")
    f.fill({"acceptance_days": "61"})
    assert f.invalid()["acceptance_days"] == "61 is greater than the maximum 60"
    page = f.page
    page.goto(base_url + "templates/customer-service-training-en/")
    page.get_by_role("link", name="New agreement", exact=True).first.click()
    page.wait_for_selector("#ck-form[data-ready=true]")
    page.goto(base_url)
    assert page.locator("a", has_text="新建协议").count() >= 3
    for tid in ("customer-service-training", "customer-service-training-bilingual"):
        other = form(tid)  # loads without a JavaScript error (checked on closing)
        assert other.field("fee.total").count() == 1


def test_form_assets_are_in_the_package() -> None:
    folder = Path(__file__).parents[1] / "src/clausekit/assets/form"
    for name in (
        "jsoneditor.min.js",
        "ajv2020.min.js",
        "jsoneditor.LICENSE.txt",
        "ajv.LICENSE.txt",
    ):
        assert (folder / name).stat().st_size > 1000, name


def test_form_from_clausekit_pages_files(browser: Any, pages_url: str) -> None:
    """The other engine's build: the same form, its scripts, its links."""
    f = FormPage(browser, f"{pages_url}new/mutual-nda/")
    try:
        f.start("mutual-nda/pages", "final")
        f.fill({"copies": "3", "effective_date": "2026-12-01", "purpose": "合作"})
        assert f.invalid()["party_a.name"] == "必填项 'name' 未填写"
        assert "  effective_date: 2026-12-01\n" in f.yaml_text()
        assert not f.page.is_enabled("#download-yaml")
        f.page.goto(f"{pages_url}templates/mutual-nda/")
        f.page.get_by_role("link", name="新建协议", exact=True).first.click()
        f.page.wait_for_selector("#ck-form[data-ready=true]")
        assert f.page.url == f"{pages_url}new/mutual-nda/"
        assert f.errors == []
    finally:
        f.close()


def _serve(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url
