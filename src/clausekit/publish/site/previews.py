"""Agreement previews as HTML, converted while mkdocs renders the other pages.

`check`'s workers assemble every agreement and keep its Markdown; converting
10,000 of them to HTML costs as much again.  mkdocs renders pages on one core,
so the conversion runs in a forked process beside it, and the HTML is taken
when the first agreement page is written (agreement pages come after the
clause and template pages).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from clausekit.errors import BuildError
from clausekit.publish.site.bilingual import ROW, preview_html
from clausekit.publish.site.markup import commonmark

# Below this many previews, forking costs more than converting them in turn.
BACKGROUND_FROM = 200


def preview_body(text: str) -> str:
    """An assembled agreement's Markdown (without front matter) as the preview's HTML,
    stripped as `html_block` strips the blocks it wraps."""
    return (preview_html(text) if ROW.search(text) else commonmark(text)).strip()


class Previews:
    """Preview HTML by key; started at once, in the background for many texts."""

    def __init__(self, texts: Mapping[str, str], background_from: int = BACKGROUND_FROM) -> None:
        self._texts = dict(texts)
        self._html: dict[str, str] | None = None
        self._receive: Connection | None = None
        self._proc: BaseProcess | None = None
        if len(self._texts) >= background_from and "fork" in mp.get_all_start_methods():
            self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_convert_all, args=(self._texts, send), daemon=True)
        self._proc.start()
        send.close()
        self._receive = receive

    def __contains__(self, key: str) -> bool:
        return key in self._texts or (self._html is not None and key in self._html)

    def html(self, key: str) -> str:
        """The preview of `key`, waiting for the background conversion if it runs."""
        if self._receive is None:  # converted here, one at a time
            return preview_body(self._texts[key])
        if self._html is None:
            self._html = self._collect()
        return self._html[key]

    def _collect(self) -> dict[str, str]:
        assert self._receive is not None and self._proc is not None
        try:
            answer = self._receive.recv()
        except EOFError as exc:  # the process died before answering
            self._proc.join()
            raise BuildError(f"preview conversion exited with code {self._proc.exitcode}") from exc
        self._proc.join()
        if isinstance(answer, str):
            raise BuildError(answer)
        assert isinstance(answer, dict)
        self._texts.clear()  # the Markdown is not needed any more
        return answer

    def close(self) -> None:
        """Stop the background conversion if no page took its results (a failed build)."""
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
        if self._receive is not None:
            self._receive.close()


def _convert_all(texts: dict[str, str], send: Connection) -> None:
    # A forked child: a failure is sent as its message, for the parent to raise.
    try:
        send.send({key: preview_body(text) for key, text in texts.items()})
    except Exception as exc:  # re-raised in the parent as BuildError
        send.send(f"preview conversion failed: {type(exc).__name__}: {exc}")
    finally:
        send.close()
