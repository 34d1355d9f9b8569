"""Did-you-mean: the closest known name to a misspelt one (difflib)."""

from __future__ import annotations

from collections.abc import Iterable


def close(name: str, candidates: Iterable[str]) -> str | None:
    """The one candidate closest to a misspelt `name`, if one is close enough.

    Ids share folder prefixes (`base/fee`, `base/term`), which make any two look
    alike: they must be closer than names to count.
    """
    cutoff = 0.8 if "/" in name else 0.6
    import difflib  # only when a name is misspelt

    found = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'start'?` or nothing."""
    match = close(name, candidates)
    return f"; did you mean {match!r}?" if match else ""
