"""The example library: clean, assembled exactly as reviewed, and right in substance.

Golden files (tests/golden/) are the assembled Markdown of every example
agreement and blank form, reviewed by eye when written; the other tests
check what a lawyer would check in the zh-CN final agreement: ten articles
in order, every amount in figures and in 大写, and the instalments adding up.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from clausekit.language.filters import cn_number, money, rmb_upper
from clausekit.load import load_library
from conftest import REPO, TESTS, cli, golden

LIB = load_library(REPO)
AGREEMENTS = sorted(LIB.agreements)
TEMPLATES = sorted(LIB.templates)
ZH_FINAL = "customer-service-training/2026-shenzhen-final"


def test_repository_checks_clean() -> None:
    result = cli("-C", REPO, "check")
    assert result.code == 0, result.out
    assert result.out.startswith("no problems found")


def test_every_template_has_a_final_and_a_draft() -> None:
    for template in TEMPLATES:
        statuses = {a.status for a in LIB.agreements.values() if a.template_id == template}
        assert {"final", "draft"} <= statuses, template


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_assembled_agreement_matches_golden(agreement: str) -> None:
    result = cli("-C", REPO, "assemble", agreement)
    assert result.code == 0, result.err
    assert result.out == golden(TESTS / "golden" / f"{agreement}.md", result.out)


@pytest.mark.parametrize("template", TEMPLATES)
def test_blank_form_matches_golden(template: str, tmp_path: Path) -> None:
    result = cli("-C", REPO, "build", "--blank", template, "--to", "md", "-o", tmp_path)
    assert result.code == 0, result.err
    text = (tmp_path / "blank" / f"{template}.md").read_text("utf-8")
    assert text == golden(TESTS / "golden" / "blank" / f"{template}.md", text)


def _zh_final() -> str:
    result = cli("-C", REPO, "assemble", ZH_FINAL)
    assert result.code == 0, result.err
    return result.out


def test_zh_final_has_ten_articles_in_order() -> None:
    text = _zh_final()
    articles = re.findall(r"^# (.+?)、(.+)$", text, re.M)
    assert [a[0] for a in articles] == [cn_number(n) for n in range(1, 11)]
    assert [a[1] for a in articles] == [
        "培训服务内容及要求",
        "培训服务期限",
        "培训地点",
        "双方权利与义务",
        "培训服务费用及支付方式",
        "考核与验收",
        "保密条款",
        "违约责任",
        "争议解决",
        "其他条款",
    ]
    # Sections restart at （一） under every article that has them.
    assert re.findall(r"^## （(.)）", text, re.M)[:2] == ["一", "二"]
    assert "## （一）甲方权利与义务" in text and "## （二）乙方权利与义务" in text


def test_zh_final_amounts_in_figures_and_upper_case_agree() -> None:
    text = _zh_final()
    pairs = re.findall(r"人民币 ([\d,]+\.\d\d) 元（大写：([^）]+)）", text)
    assert len(pairs) == 4  # the total and three instalments
    for figure, upper in pairs:
        assert rmb_upper(Decimal(figure.replace(",", ""))) == upper


def test_zh_final_instalments_add_up_to_the_total() -> None:
    data = yaml.safe_load((REPO / "agreements" / f"{ZH_FINAL}.yaml").read_text("utf-8"))
    total = Decimal(str(data["variables"]["fee"]["total"]))
    pay = data["variables"]["payment"]
    prepay = total * Decimal(str(pay["prepay_percent"])) / 100
    progress = total * Decimal(str(pay["progress_percent"])) / 100
    text = _zh_final()
    figures = [Decimal(f.replace(",", "")) for f in re.findall(r"人民币 ([\d,]+\.\d\d) 元", text)]
    assert figures[0] == total
    assert figures[1:] == [prepay, progress, total - prepay - progress]
    assert sum(figures[1:]) == total
    assert f"{money(total)} 元（大写：{rmb_upper(total)}）" in text


def test_blank_form_has_a_blank_wherever_the_seed_has_one(tmp_path: Path) -> None:
    result = cli(
        "-C", REPO, "build", "--blank", "customer-service-training", "--to", "md", "-o", tmp_path
    )
    assert result.code == 0, result.err
    text = (tmp_path / "blank" / "customer-service-training.md").read_text("utf-8")
    blank = r"\_\_\_\_\_\_"
    for label in ("名称：", "法定代表人：", "地址：", "联系方式："):
        assert text.count(label + blank) == 2, label  # both parties
    assert f"人民币 {blank} 元（大写：{blank}）" in text
    assert text.count(f"{blank}%") >= 4  # two instalments, two penalties
    # No value leaks into the form, and every amount is a blank.
    assert not re.search(r"\d{1,3}(,\d{3})*\.\d\d", text)
    assert "深圳" not in text


def test_moving_a_clause_renumbers_headings_and_refs(tmp_path: Path) -> None:
    for folder in ("clauses", "templates", "agreements"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    before = cli("-C", tmp_path, "assemble", ZH_FINAL).out
    assert "# 五、培训服务费用及支付方式" in before
    assert "甲方应按照第五条的约定向乙方支付培训服务费用" in before
    assert "甲方未按照第五条第（二）款约定的期限" in before
    path = tmp_path / "templates" / "customer-service-training.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    moved = lines.index("  - training/payment\n")
    entry = lines.pop(moved)
    lines.insert(lines.index("  - training/term\n"), entry)  # now article 二
    path.write_text("".join(lines), "utf-8")
    after = cli("-C", tmp_path, "assemble", ZH_FINAL)
    assert after.code == 0, after.err
    assert "# 二、培训服务费用及支付方式" in after.out
    assert "# 三、培训服务期限" in after.out and "# 六、考核与验收" in after.out
    assert "甲方应按照第二条的约定向乙方支付培训服务费用" in after.out
    assert "甲方未按照第二条第（二）款约定的期限" in after.out
    assert "第五条" not in after.out.split("# 五、")[0]
