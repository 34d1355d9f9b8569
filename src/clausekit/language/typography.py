"""Typographic quotes and dashes in clause text, converted once, at the source.

Every output (the assembled Markdown, the site, the DOCX, the PDF) must show the
same characters.  Converting in each renderer cannot promise that: markdown-it's
`smartquotes` leaves `的"引号"` straight (a quote between two CJK characters is
neither opening nor closing by its rules), Pandoc's `smart` made it `“引号“`, and
Typst's `smartquote` has rules of its own.  So clausekit converts the clause text
itself, here, and every renderer has its own conversion switched off
(`render.pandoc.INPUT_FORMAT` `-smart`, Typst `smartquote(enabled: false)`,
markdown-it without `typographer`): the assembled Markdown already holds “ ” ‘ ’ – —,
and each renderer prints what it is given.

Only clause text is converted: the Jinja `data` tokens of a clause body
(`Typography`, a Jinja extension of the sandbox).  Values from agreements are
inserted later, through `finalize`, and never pass through here: a value typed
with straight quotes prints with straight quotes.

The rules (the same for Chinese and English; the code points are the same, and a
CJK font sets them full width):

* `"` opens before a word and closes after one (markdown-it's flanking rules);
  where both sides are letters, as between two CJK characters, it closes the quote
  that is open in the paragraph, else it opens one;
* `'` between two letters is an apostrophe ’ (Party’s), unless both are CJK; `'`
  after a word closes (’), before one opens (‘);
* drafting notes, `<!-- … -->` comments (on one line or many), are removed before
  all of this (`drop_notes`): a note never prints;
* `--` is an en dash – (ranges, `1--3`), `---` an em dash —;
* untouched: code spans and fenced code, backslash escapes (`\\"` stays a straight
  quote, `\\-\\-` two hyphens), autolinks and HTML, link destinations, `{…}`
  attributes, entities, and table delimiter rows and thematic breaks.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator

from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from clausekit.language.marks import JOIN_MARK, LETTER_MARK, RESERVED

# An opaque piece of text (a Jinja expression, a site placeholder): a letter for
# the quote rules.  Every private-use character is treated the same way.
# (LETTER_MARK; JOIN_MARK, the boundary between two Jinja tokens, is invisible to the rules.)
# Markdown punctuation that sits between a quote and its word without changing
# which side of the word the quote is on: `"**Agreement**"`, `["x"](#a)`.
_TRANSPARENT = frozenset("*_~[]" + JOIN_MARK)

_OPAQUE = re.compile(
    r"""
    (?P<fence>^[ ]{0,3}(?P<f>`{3,}|~{3,})[^\n]*\n(?:.*\n)*?[ ]{0,3}(?P=f)[`~]*[ \t]*$)
    |(?P<rule>^[ \t]*[|:=*_+ \t-]*-[|:=*_+ \t-]*$)
    |(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`)
    |\\[\s\S]
    |<[^<>\n]*>
    |\]\([^()\n]*\)
    |\{[^{}\n]*\}
    |&\#?\w+;
    """,
    re.M | re.X,
)


@functools.cache
def _notes() -> re.Pattern[str]:
    """Drafting notes: HTML comments outside code, found before anything else reads the
    text (the dash rule would make `<!--` `<!–`, and a comment spanning lines is not one
    opaque span).  Code is matched first so that a comment shown in code stays.
    Compiled for the first text with a note (most have none)."""
    return re.compile(
        r"(?P<fence>^[ ]{0,3}(?P<f>`{3,}|~{3,})[^\n]*\n(?:.*\n)*?[ ]{0,3}(?P=f)[`~]*[ \t]*$)"
        r"|(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`)"
        r"|(?P<note><!--[\s\S]*?-->)",
        re.M,
    )


_DASHES = re.compile(r"(?<!-)(-{2,3})(?!-)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

SPACE, PUNCT, LETTER = 0, 1, 2


def drop_notes(text: str) -> str:
    """The text without its drafting notes (`<!-- … -->`): each note is replaced by
    its line breaks, so that every later line keeps its number."""
    if "<!--" not in text:
        return text
    return _notes().sub(lambda m: "\n" * m.group(0).count("\n") if m["note"] else m[0], text)


def smarten(text: str) -> str:
    """Markdown source with typographic quotes and dashes (see the module doc)."""
    out: list[str] = []
    state = _Quotes()
    pos = 0
    for m in _OPAQUE.finditer(text):
        out.append(_text(text, pos, m.start(), state))
        out.append(m.group(0))
        if _BLANK_LINE.search(m.group(0)):
            state = _Quotes()
        pos = m.end()
    out.append(_text(text, pos, len(text), state))
    return "".join(out)


class _Quotes:
    """Which quotes are open in the current paragraph."""

    def __init__(self) -> None:
        self.open = {'"': 0, "'": 0}


_CURLY = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}


def _text(text: str, start: int, end: int, state: _Quotes) -> str:
    """text[start:end], a stretch outside every opaque span, converted; the context
    of a quote may lie outside the stretch."""
    chars: list[str] = []
    for i in range(start, end):
        c = text[i]
        if c == "\n" and _BLANK_LINE.match(text, i):
            state.open = {'"': 0, "'": 0}
        if c in _CURLY:
            c = _quote(text, i, c, state)
        chars.append(c)
    return _DASHES.sub(_dash, "".join(chars))


def _dash(m: re.Match[str]) -> str:
    return "\u2013" if len(m.group(1)) == 2 else "\u2014"


def _quote(text: str, i: int, q: str, state: _Quotes) -> str:
    before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
    p, n = _kind(before), _kind(after)
    can_open = n != SPACE and not (n == PUNCT and p == LETTER)
    can_close = p != SPACE and not (p == PUNCT and n == LETTER)
    opening, closing = _CURLY[q]
    if can_open and can_close:
        if q == "'" and p == n == LETTER and not (_cjk(before) and _cjk(after)):
            return closing  # an apostrophe: Party's, don't
        can_open = state.open[q] == 0
        can_close = not can_open
    if can_open:
        state.open[q] += 1
        return opening
    if can_close:
        state.open[q] = max(0, state.open[q] - 1)
        return closing
    return closing if q == "'" else q  # alone between spaces: ' is an apostrophe


def _neighbour(text: str, i: int, step: int) -> str:
    """The nearest character before (-1) or after (1) position i that is not
    transparent Markdown punctuation; "" at either end of the text."""
    i += step
    while 0 <= i < len(text) and text[i] in _TRANSPARENT:
        i += step
    return text[i] if 0 <= i < len(text) else ""


def _kind(c: str) -> int:
    if not c or c.isspace():
        return SPACE
    if c == "`" or RESERVED.match(c):  # an expression, a code span: a word
        return LETTER
    return PUNCT if unicodedata.category(c)[0] in "PS" else LETTER


def _cjk(c: str) -> bool:
    return bool(c) and ("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")


class Typography(Extension):
    """Jinja extension: smarten the template text of a clause body, never the output
    of `{{ … }}` (values) and never Jinja code itself.  Drafting notes are removed
    from the source first: they never print, in any output."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return drop_notes(source)

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        # The rules need the text after a quote, so the tokens are read ahead.  The
        # lexer raises at the first character it cannot read; that error is raised
        # again where the parser reaches it, so that a syntax error the parser finds
        # earlier is still the one reported (as without this extension).
        tokens: list[Token] = []
        try:
            tokens.extend(stream)
        except TemplateSyntaxError as exc:
            # The stream failed while moving past its current token: keep that one.
            tokens.append(stream.current)
            return _then_raise(_smarten_tokens(tokens), exc)
        return _smarten_tokens(tokens)


def _then_raise(tokens: Iterator[Token], exc: TemplateSyntaxError) -> Iterator[Token]:
    yield from tokens
    raise exc


def _smarten_tokens(tokens: list[Token]) -> Iterator[Token]:
    """The tokens with every `data` token smartened, in the context of its
    neighbours (a run of other tokens reads as one word)."""
    # One piece per data token, one LETTER_MARK per run of other tokens.
    pieces: list[str] = []
    after_code = False
    for tok in tokens:
        if tok.type == "data":
            if JOIN_MARK in tok.value:
                raise TemplateSyntaxError("clause text holds U+E021", tok.lineno)
            pieces.append(tok.value)
        elif not after_code:
            pieces.append(LETTER_MARK)
        after_code = tok.type != "data"
    done = smarten(JOIN_MARK.join(pieces)).split(JOIN_MARK)
    if len(done) != len(pieces):  # smarten keeps every JOIN_MARK; this cannot happen
        raise AssertionError("typography lost a token boundary")
    k = -1
    after_code = False
    for tok in tokens:
        if tok.type == "data":
            k += 1
            yield Token(tok.lineno, tok.type, done[k])
        else:
            k += 0 if after_code else 1
            yield tok
        after_code = tok.type != "data"
