"""The "new agreement" page of a template: a form drawn from its composed schema.

The page holds the schema `clausekit schema` prints (`if`/`then` included) and
loads three scripts shipped in the package (assets/form/): JSON Editor draws the
fields, Ajv checks the values against that same schema, and form.js joins them:
dotted field names, the messages in `check`'s words, the YAML, the download and
the pull-request link.  Nothing is fetched from the network, at build or view time.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from clausekit.check import Checked
from clausekit.ids import ID_RE
from clausekit.language.marks import FILL_CLOSE, FILL_OPEN
from clausekit.language.typography import smarten
from clausekit.load.model import Library, Template
from clausekit.publish.site.common import GeneratedPage, RawHtml, link, make_page
from clausekit.publish.site.markup import commonmark, descriptions, md_text

ASSETS = ("jsoneditor.min.js", "ajv2020.min.js", "form.js", "form.css")
ASSET_DIR = "assets/form/"
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%-?(.*?)-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{##.*?##\}", re.DOTALL)
_PATH = re.compile(r"\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(\|.*)?", re.DOTALL)
_TOKEN = re.compile(f"{FILL_OPEN}(\\d+){FILL_CLOSE}")

# Loads form.css and the scripts, in order, from `assets/form/` beside the generated
# pages: the page's URL ends with its own path (`new/<id>/`, `new/<id>/index.html` or
# `new/<id>.html`), and what comes before it is the folder of the generated pages.
LOADER = (
    "(function(){var c=JSON.parse(document.getElementById('ck-form-config').textContent),"
    "p=location.pathname,e=['/'+c.page+'/','/'+c.page+'/index.html','/'+c.page+'.html']"
    ".filter(function(x){return p.slice(-x.length)===x;})[0]||('/'+c.page+'/'),"
    "base=p.slice(0,p.length-e.length+1)+c.assets,l=document.createElement('link');"
    "l.rel='stylesheet';l.href=base+'form.css';document.head.appendChild(l);"
    "(function next(i){if(i>=c.scripts.length)return;var s=document.createElement('script');"
    "s.src=base+c.scripts[i];s.onload=function(){next(i+1);};document.body.appendChild(s);})(0);"
    "})();"
)

WORDS = {
    "zh": {
        "new": "新建协议",
        "intro": "填写下列各项，右侧即显示协议的 YAML 文件；"
        "全部有效后可下载，或在仓库中发起拉取请求。",
        "id": "协议编号（文件 agreements/<编号>.yaml）",
        "status": "状态",
        "title": "协议标题（可不填，默认为模板标题）",
        "yaml": "协议文件（YAML）",
        "download": "下载 YAML",
        "propose": "发起拉取请求",
        "preview": "预览",
        "preview_note": "预览只填入所填的值；计算值和带条件的条款由拉取请求中的构建确定。",
        "draft": "草稿（draft）",
        "final": "定稿（final）",
    },
    "en": {
        "new": "New agreement",
        "intro": "Fill in the values; the agreement's YAML file shows beside them. When every "
        "value is valid, download it or propose it as a pull request.",
        "id": "Agreement id (the file agreements/<id>.yaml)",
        "status": "Status",
        "title": "Title (optional; the template's title by default)",
        "yaml": "Agreement file (YAML)",
        "download": "Download YAML",
        "propose": "Propose as a pull request",
        "preview": "Preview",
        "preview_note": "The preview shows the values as filled in; computed values and "
        "conditional clauses are settled by the build in the pull request.",
        "draft": "draft",
        "final": "final",
    },
}


@dataclass(frozen=True)
class Repository:
    """Where `#propose` opens a new file: `repo_url` and the branch of mkdocs.yml."""

    url: str
    branch: str = "main"

    @staticmethod
    def from_config(repo_url: object, edit_uri: object) -> Repository | None:
        if not isinstance(repo_url, str) or not repo_url.strip():
            return None
        parts = [p for p in str(edit_uri or "").split("/") if p]
        # `edit/<branch>/docs/` (GitHub) or `-/edit/<branch>/docs/` (GitLab)
        while parts and parts[0] in ("-", "edit", "blob", "src", "tree"):
            parts = parts[1:]
        return Repository(repo_url.strip().rstrip("/"), parts[0] if parts else "main")


@dataclass(frozen=True)
class FormPage:
    page: GeneratedPage
    files: dict[str, bytes]  # site uri -> content: the scripts the page loads


def form_uri(tid: str) -> str:
    return f"new/{tid}.md"


def asset_files() -> dict[str, bytes]:
    """The scripts and style of every form page (one copy for the site)."""
    folder = resources.files("clausekit") / "assets" / "form"
    return {ASSET_DIR + name: (folder / name).read_bytes() for name in ASSETS}


def form_page(checked: Checked, template: Template, repo: Repository | None) -> GeneratedPage:
    """The form page of one template (its scripts: `asset_files`)."""
    uri = form_uri(template.id)
    lang = "en" if template.lang.startswith("en") else "zh"
    w = WORDS[lang]
    config: dict[str, Any] = {
        "lang": lang,
        "template": template.id,
        "schema": checked.composed_schema(template),
        "id_pattern": ID_RE.pattern,
        "repo_url": repo.url if repo else None,
        "branch": repo.branch if repo else None,
    }
    # The scripts are found from the page's own URL: engines treat links in raw HTML
    # differently (MkDocs keeps them, Zensical reads them as relative to the file).
    config["page"] = uri.removesuffix(".md")
    config["assets"] = ASSET_DIR
    config["scripts"] = [name for name in ASSETS if name.endswith(".js")]
    # `</` cannot end the script element early: JSON allows `<\\/`.
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    body = _form_html(w, template, repo) + _preview_html(checked.lib, template, w, lang)
    block = (
        f'<div id="ck-form" class="ck-form" lang="{template.lang}" data-search-exclude>'
        f"{body}</div>"
        f'<script type="application/json" id="ck-form-config">{data}</script>'
        f"<script>{LOADER}</script>"
    )
    title = f"{w['new']}: {template.title}"
    parts: list[str | RawHtml] = [f"# {md_text(title)}\n", f"{md_text(w['intro'])}\n"]
    parts.append(RawHtml(block, searchable=False))
    return make_page(uri, title, parts, search=False)


def _form_html(w: dict[str, str], template: Template, repo: Repository | None) -> str:
    e = html.escape
    propose = (
        f'<a id="propose" class="md-button" aria-disabled="true">{e(w["propose"])}</a>'
        '<p id="ck-propose-note" role="status"></p>'
        if repo
        else ""
    )
    return (
        '<div class="ck-form-grid"><div class="ck-form-fields">'
        f'<p class="ck-field"><label for="agreement-id">{e(w["id"])}</label>'
        f'<input id="agreement-id" name="agreement-id" value="{e(template.id)}/" '
        'autocomplete="off" spellcheck="false"></p>'
        f'<p class="ck-field"><label for="status">{e(w["status"])}</label>'
        '<select id="status" name="status">'
        f'<option value="draft">{e(w["draft"])}</option>'
        f'<option value="final">{e(w["final"])}</option></select></p>'
        f'<p class="ck-field"><label for="agreement-title">{e(w["title"])}</label>'
        '<input id="agreement-title" name="title"></p>'
        '<div id="ck-form-fields"></div></div>'
        f'<div class="ck-form-output"><h2>{e(w["yaml"])}</h2>'
        '<pre><code id="agreement-yaml"></code></pre>'
        f'<p><button type="button" id="download-yaml" class="md-button" disabled>'
        f"{e(w['download'])}</button> {propose}</p>"
        '<p id="ck-form-note" role="status"></p></div></div>'
    )


def _preview_html(lib: Library, template: Template, w: dict[str, str], lang: str) -> str:
    """The blank form's text, each value a span that form.js fills in as it is typed."""
    described: dict[str, str] = {}
    parts: list[str] = []
    for entry in template.outline.clause_entries():
        clause = lib.clauses.get(entry.clause or "")
        if clause is None:
            continue
        described.update(descriptions(clause.variables))
        parts.append(_fillable(clause.body, described, lang))
    return (
        f'<h2 id="preview">{html.escape(w["preview"])}</h2>'
        f'<p class="ck-form-note">{html.escape(w["preview_note"])}</p>'
        f'<div class="ck-preview ck-form-preview">{"".join(parts)}</div>'
    )


def _fillable(body: str, described: dict[str, str], lang: str) -> str:
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr is None:  # a statement: the build settles it
            return ""
        found = _PATH.fullmatch(expr)
        if found is None:
            spans.append(f'<span class="ck-var">{html.escape(" ".join(expr.split()))}</span>')
        else:
            path = found.group(1)
            blank = f"[{described.get(path) or path}]"
            spans.append(
                f'<span class="ck-fill" data-path="{html.escape(path)}" '
                f'data-blank="{html.escape(blank)}" title="{html.escape(path)}">'
                f"{html.escape(blank)}</span>"
            )
        return f"{FILL_OPEN}{len(spans) - 1}{FILL_CLOSE}"

    text = _EXPRESSION.sub(hold, _COMMENT.sub("", body))
    rendered = commonmark(smarten(text))
    return _TOKEN.sub(lambda m: spans[int(m.group(1))], rendered)


def new_agreement_link(from_uri: str, template: Template) -> str:
    """The template page's link to its form."""
    w = WORDS["en" if template.lang.startswith("en") else "zh"]
    return f"**{link(from_uri, form_uri(template.id), w['new'])}**"
