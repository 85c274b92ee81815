"""Write every template draft (text form, each channel the ask asks for) of the given asks,
one file per ask:

    .venv/bin/python bench/write_drafts.py OUT_DIR ASK [ASK ...]

For people reading the drafts as the partner would (the quality review of the templates).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pitchgen.ask import Channel, load_ask
from pitchgen.content.render import to_text
from pitchgen.drafting.fallback import render_content

TITLES = {
    Channel.email: "EMAIL",
    Channel.call_script: "CALL SCRIPT",
    Channel.meeting_agenda: "MEETING AGENDA",
}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for source in sys.argv[2:]:
        ask = load_ask(source)
        parts = [
            f"===== {TITLES[channel]} =====\n\n"
            f"{to_text(render_content(ask, channel), ask.locale_tag)}\n"
            for channel in ask.channels
        ]
        # The ask itself last, so a reader can tell a fact of the ask from an invented one.
        parts.append(f"===== THE ASK ({Path(source).name}) =====\n\n{Path(source).read_text()}")
        name = Path(source).name.rsplit(".", 1)[0]
        (out / f"{name}.txt").write_text("\n".join(parts))
        print(out / f"{name}.txt")


if __name__ == "__main__":
    main()
