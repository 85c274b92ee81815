"""Instructions per ask, counted by valgrind (not a test): a figure that holds on a loaded machine.

    .venv/bin/python bench/instructions.py [--asks 20] [--tree PATH]

Wall times on a shared machine move with everyone else's work; instruction counts do not. For
each figure of bench/core.py's in-process part (the checks of the three template drafts of one
ask; drafting all three channels), this runs the same script twice under
`valgrind --tool=callgrind`, once doing the work for `--asks` distinct asks and once only the
set-up, and prints the difference per ask. `--tree` counts another checkout (its pitchgen first
on the path, with this interpreter's libraries): the same figure before and after a change.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind import collected

ROOT = Path(__file__).resolve().parent.parent

# The work, after a set-up that is the same whether it runs or not: a warm-up draft (imports,
# templates, caches of the process), then `total` asks built the way bench/core.py builds them.
WORK = """
import sys
sys.path.insert(0, {bench!r})
import core
from pitchgen.ask import Channel
from pitchgen.checks.rubric import run_checks
from pitchgen.content.render import to_text
from pitchgen.drafting.fallback import render_content
from pitchgen.drafting.pipeline import draft
from pitchgen.settings import Settings

figure, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
settings = Settings(llm="off")
asks = list(core.variants(total + 3))
for ask in asks[:3]:
    draft(ask, list(Channel), settings=settings)
asks = asks[3:]
if figure == "checks":
    drafts = []
    for ask in asks:
        contents = [render_content(ask, channel) for channel in Channel]
        drafts.append((ask, [(c, to_text(c, ask.locale_tag)) for c in contents]))
    for ask, contents in drafts[:n]:
        for content, text in contents:
            run_checks(ask, content, text)
else:
    for ask in asks[:n]:
        draft(ask, list(Channel), settings=settings)
"""


def instructions(script: Path, tree: Path, figure: str, n: int, total: int, temp: Path) -> int:
    command = [sys.executable, str(script), figure, str(n), str(total)]
    return collected(command, {**os.environ, "PYTHONPATH": str(tree), "TMPDIR": str(temp)})


NAMES = {"checks": "checks of the 3 template drafts", "draft": "3 channels drafted"}


def per_ask(figure: str, asks: int = 20, tree: Path = ROOT) -> float:
    """Millions of instructions per ask of `figure` ("checks" or "draft") in checkout `tree`."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "work.py"
        script.write_text(WORK.format(bench=str(ROOT / "bench")))
        # The files pitchgen keeps in the temp folder (compiled patterns, templates' bytecode,
        # the locale) are written by a run that finds them missing or stale, at a cost of
        # millions of instructions, and every checkout on the machine shares them: both runs
        # read a folder of their own, filled by a first run whose count is dropped.
        temp = Path(tmp) / "temp"
        temp.mkdir()
        subprocess.run([sys.executable, str(script), figure, str(asks), str(asks)],
                       env={**os.environ, "PYTHONPATH": str(tree), "TMPDIR": str(temp)},
                       check=True, capture_output=True)  # fmt: skip
        base = instructions(script, tree.resolve(), figure, 0, asks, temp)
        full = instructions(script, tree.resolve(), figure, asks, asks, temp)
    return (full - base) / asks / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--figure", choices=["checks", "draft"], action="append")
    args = parser.parse_args()
    for figure in args.figure or ["checks", "draft"]:
        count = per_ask(figure, args.asks, args.tree)
        print(f"{args.tree.resolve()}: {NAMES[figure]}: {count:.1f} M instructions per ask")


if __name__ == "__main__":
    main()
