"""Text diffs on the terminal: the plain pieces of ``drafting.textdiff``, coloured with rich."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..textdiff import shown

DELETE_STYLE = "bold red strike"
INSERT_STYLE = "bold green underline"
FOLD_STYLE = "dim"


def diff_text(
    before: str | Sequence[str],
    after: str | Sequence[str],
    *,
    context: int | None = 40,
    markers: bool = False,
) -> Text:
    """The diff as styled text: deletions struck through in red, insertions underlined in green.
    ``markers`` adds ``[-…-]`` and ``{+…+}`` around them too, for output without colour.
    Unchanged runs longer than twice ``context`` are shortened with "……" (None: keep all)."""
    text = Text()
    for piece in shown(before, after, context=context):
        if piece.op == "equal":
            text.append(piece.text)
        elif piece.op == "fold":
            text.append("……", style=FOLD_STYLE)
        elif piece.op == "delete":
            text.append(f"[-{piece.text}-]" if markers else piece.text, style=DELETE_STYLE)
        else:
            text.append(f"{{+{piece.text}+}}" if markers else piece.text, style=INSERT_STYLE)
    return text
