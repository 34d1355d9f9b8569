"""A document's frame: its Word text with a mark where each value's text goes.

Most builds of an agreement differ from the last one in a value or two: the
words around them, the numbering and the layout are the same.  Assembly renders
the document a second time with each `{{ … }}` result replaced by a mark
(`language.sandbox.slot`) and keeps the results; `render.frame` has Pandoc
convert the marked text once and fills the marks of that DOCX in later builds.

The frame is only kept when filling its marks gives back exactly the text the
ordinary rendering made: anything that treated a mark unlike the text it stands
for (a value read back as a heading's title, say) leaves the document without one.
"""

from __future__ import annotations

from collections.abc import Callable

from clausekit.assemble.model import Assembled, Frame
from clausekit.language.marks import fill_slots
from clausekit.language.sandbox import SLOTS


def with_frame(doc: Assembled, render_marked: Callable[[], Assembled | None]) -> Assembled:
    """`doc` with its frame, made by `render_marked` (the same rendering, marking each
    value); `doc` unchanged when the marked text does not fill back to it."""
    slots: list[str] = []
    token = SLOTS.set(slots)
    try:
        marked = render_marked()
    finally:
        SLOTS.reset(token)
    if marked is None or not slots:
        return doc
    if (
        fill_slots(marked.word_markdown, slots) != doc.word_markdown
        or fill_slots(marked.markdown, slots) != doc.markdown
        or tuple((k, fill_slots(t, slots)) for k, t in marked.word_sections) != doc.word_sections
    ):
        return doc
    return doc._replace(frame=Frame(marked.word_markdown, marked.word_sections, tuple(slots)))
