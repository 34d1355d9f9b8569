"""Mutations of real library files for fuzzing `clausekit check` (the suite's hypothesis
test and `scripts/fuzz.py`): truncation, inserted bytes, invalid UTF-8, duplicated and
deleted lines, stray YAML and Jinja markers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from clausekit.cli import run

MARKERS = [
    b"---\n",
    b"{{",
    b"}}",
    b"{%",
    b"%}",
    b"{#",
    b"{{ ref('x') }}",
    b"{% if %}",
    b"{% endif %}",
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"\t",
    b"? ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"'",
    b'"',
    b"|\n",
    b">-\n",
    b"#",
    b"%YAML 1.1\n",
    b"<<: *a\n",
    b"\x00",
    b"\r",
    b"\xef\xbb\xbf",
    b"# ",
    b"when: ",
    b"clause: ",
    b"\\",
    b"  ",
    b"\n\n",
]


@dataclass(frozen=True)
class Mutation:
    path: str  # relative to the library
    data: bytes  # the file's new contents
    what: str


def library_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for folder in ("clauses", "templates", "agreements")
        for p in (root / folder).rglob("*")
        if p.is_file()
    )


@st.composite
def mutations(draw: st.DrawFn, root: Path, files: list[str]) -> Mutation:
    path = draw(st.sampled_from(files))
    data = (root / path).read_bytes()
    kind = draw(
        st.sampled_from(["truncate", "insert", "utf8", "dup-line", "del-line", "marker", "many"])
    )
    rounds = draw(st.integers(2, 6)) if kind == "many" else 1
    for _ in range(rounds):
        k = draw(st.sampled_from(["truncate", "insert", "utf8", "dup-line", "del-line", "marker"]))
        data = _mutate(draw, k if kind == "many" else kind, data)
    return Mutation(path, data, kind)


def _mutate(draw: st.DrawFn, kind: str, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "utf8":  # a lone continuation byte, or a multi-byte character cut short
        return (
            data[:at] + draw(st.sampled_from([b"\x80", b"\xff", b"\xe4\xb8", b"\xc3"])) + data[at:]
        )
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "dup-line":
        return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if kind == "del-line":
        return b"\n".join([*lines[:i], *lines[i + 1 :]])
    return data[:at] + draw(st.sampled_from(MARKERS)) + data[at:]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def check(root: Path, mutation: Mutation) -> Outcome:
    """`clausekit check` with `mutation` applied; the file is put back afterwards.

    In-process, as `main` runs it: an exception escaping `run` is the traceback a user
    would see, and fails the caller.
    """
    target = root / mutation.path
    original = target.read_bytes()
    target.write_bytes(mutation.data)
    try:
        out, err = io.StringIO(), io.StringIO()
        code = run(["-C", str(root), "check"], out, err)
        return Outcome(code, out.getvalue(), err.getvalue())
    finally:
        target.write_bytes(original)
