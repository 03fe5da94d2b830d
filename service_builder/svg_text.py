"""Text measured for SVG without a browser: Arial's advance widths, and wrapping to a width."""

from __future__ import annotations

# Advance widths of Arial (the same as Helvetica's) in thousandths of an em, for printable
# ASCII from space (32) to tilde (126).
_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 "
    "1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 "
    "556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
ARIAL = {chr(32 + index): int(width) for index, width in enumerate(_WIDTHS.split())}
OTHER = 1000
"""Characters outside ASCII (‘’…£ and other scripts): an em, so they are never too narrow."""
BOLD = 1.1
"""Arial Bold is at most about 10% wider than Arial."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in pixels of `text` set in Arial at `size` pixels."""
    units = sum(ARIAL.get(character, OTHER) for character in text)
    return units * size / 1000 * (BOLD if bold else 1)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width` pixels, broken between words where possible."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:  # a word wider than the line is broken where it must be
            if line and text_width(line + character, size, bold) > width:
                lines.append(line)
                line = ""
            line += character
    return [*lines, line] if line or not lines else lines
