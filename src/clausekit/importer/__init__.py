"""`clausekit import`: turn an existing contract (.docx, .md, .txt) into a template,
one clause per numbered article, and a draft agreement.

Pipeline, one module each: `decode` (bytes to text, bad-input checks), `textread`
and `docxread` (paragraphs), `numbers` (typed and Word numbering), `structure`
(articles, preamble, signature), `blanks` and `names` (typed variables),
`refs` (typed cross-references), `markdown` (escaping, clause bodies), `write`
(files, never overwriting), `command` (the CLI entry point).
"""

from __future__ import annotations

from .command import import_contract

__all__ = ["import_contract"]
