"""An email body's two parts: the letter, greeting to signature, and the full list set apart
after the signature. Past three items of a list the template email sums them up and puts every
item below its signature, so a partner reads a short letter and still has the whole ask. The
rubric's length advice and its `signed` check read the letter; the checks of substance read
the whole body. The list is recognised only by its heading line followed by list lines, so
ordinary prose after a signature still counts as the letter's (and fails `signed`).
"""

from __future__ import annotations

__all__ = ["BULLET", "FULL_LIST_HEADING", "letter_and_list"]

FULL_LIST_HEADING = "The full list"
BULLET = "- "
_BULLETS = (BULLET, "• ", "* ")


def letter_and_list(body: str) -> tuple[str, str]:
    """`body` split before its full list: (letter, list), the list "" when there is none. The
    list is a line reading FULL_LIST_HEADING after an empty line, then list lines only, each
    group perhaps under a label ending in ":" ("What we'd ask of …:")."""
    lines = body.splitlines()
    for at, line in enumerate(lines):
        if line.strip() != FULL_LIST_HEADING or at == 0 or lines[at - 1].strip():
            continue
        if _only_list(lines[at + 1 :]):
            return "\n".join(lines[:at]).rstrip(), "\n".join(lines[at:])
    return body, ""


def _only_list(lines: list[str]) -> bool:
    """Whether `lines` hold list lines and nothing else but labels that open a group."""
    kept = [line.strip() for line in lines if line.strip()]
    if not kept:
        return False
    for i, line in enumerate(kept):
        if line.startswith(_BULLETS):
            continue
        opens_group = line.endswith(":") and i + 1 < len(kept) and kept[i + 1].startswith(_BULLETS)
        if not opens_group:
            return False
    return True
