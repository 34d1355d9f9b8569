"""The files and commands a docs page shows, replayed in a fresh library.

A fenced block with a title (Material's ```yaml title="templates/consulting.yaml"```)
is that file: the page's titled blocks, in order, make a library (a later block of the
same file replaces the earlier one, as a reader editing it would). A block whose title
is a command (```text title="clausekit check"```) is what that command prints at that
point of the page: its lines must appear, in one run, in the command's output. A block
titled "printed: clausekit ..." is the same, run once all of the page's files are written
(the recipes show each clause's printed result beside it, though the template that puts
them together comes last).

Used by tests/test_docs_files.py (every page of docs/) and by
scripts/docs_screenshots.py (the tutorial's library, for its pictures).
"""

from __future__ import annotations

import io
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
TITLE = re.compile(r'\btitle="(?P<title>[^"]+)"')
COMMAND = "clausekit "
PRINTED = "printed: "


@dataclass(frozen=True)
class Block:
    """A titled fenced block: a file (title is its path) or a command and its output."""

    page: Path
    line: int  # 1-based line of the opening fence
    title: str
    text: str

    @property
    def is_command(self) -> bool:
        return self.title.startswith((COMMAND, PRINTED + COMMAND))

    @property
    def deferred(self) -> bool:
        return self.title.startswith(PRINTED)

    @property
    def command(self) -> list[str]:
        """The command's arguments after `clausekit`."""
        return shlex.split(self.title.removeprefix(PRINTED))[1:]

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


def titled_blocks(page: Path) -> list[Block]:
    """Every fenced block of `page` that has a title, in the order of the page."""
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not _closes(lines[j], fence):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        title = TITLE.search(opening["info"])
        if title is not None:
            blocks.append(Block(page, i + 1, title["title"], "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]}


Runner = Callable[[list[str]], tuple[int, str]]


def run_cli(args: list[str]) -> tuple[int, str]:
    """clausekit in this process: its exit code and what it printed (stdout, then stderr)."""
    from clausekit.cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run(args, out, err)
    return code, out.getvalue() + err.getvalue()


def printed_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def contains_run(output: str, expected: str) -> bool:
    """Whether the lines of `expected` appear one after another in `output`."""
    have, want = printed_lines(output), printed_lines(expected)
    return any(have[k : k + len(want)] == want for k in range(len(have) - len(want) + 1))


def replay(blocks: list[Block], root: Path, runner: Runner = run_cli) -> list[str]:
    """Write the file blocks into the library at `root` and run the command blocks.

    Returns one message per command whose output does not show its block (empty: the
    page is right). A file path must stay inside the library.
    """
    problems: list[str] = []
    for block in blocks:
        if block.is_command:
            if not block.deferred:
                problems.extend(_run(block, root, runner))
            continue
        target = (root / block.title).resolve()
        if not target.is_relative_to(root.resolve()):
            raise ValueError(f"{block.where}: {block.title} is outside the library")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")
    for block in blocks:
        if block.deferred:
            problems.extend(_run(block, root, runner))
    return problems


def _run(block: Block, root: Path, runner: Runner) -> list[str]:
    code, output = runner(["-C", str(root), *block.command])
    if contains_run(output, block.text):
        return []
    return [
        f"{block.where}: `{block.title}` (exit {code}) printed:\n{output}"
        f"\nwhich does not contain the block:\n{block.text}"
    ]
