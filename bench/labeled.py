"""The rubric measured on labeled drafts (tests/data/labeled/<set>/), printed per set (not a test).

    .venv/bin/python bench/labeled.py [--verbose]

Each file is a draft labeled good or defective, the defect naming the check it should trip.
Printed per set: good drafts accepted (every must check passes), defects caught (at least one
must check fails), and how often the named check is among the failing ones.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELED = ROOT / "tests" / "data" / "labeled"


def load(path: Path):
    """(ask, content, label) of one labeled file; its ask is in the set's `asks/` folder or is
    one of the shared examples."""
    from pitchgen.ask import load_ask
    from pitchgen.content.models import CONTENT_MODELS

    data = json.loads(path.read_text())
    ask_path = path.parent / "asks" / data["ask"]
    if not ask_path.exists():
        ask_path = ROOT / "fixtures" / "asks" / data["ask"]
    content = CONTENT_MODELS[data["channel"]].model_validate(data["content"])
    return load_ask(ask_path), content, data


def measure(folder: Path, verbose: bool) -> None:
    from pitchgen.checks.rubric import must_failures, run_checks
    from pitchgen.content.render import to_text

    good = accepted = defects = caught = named = 0
    for path in sorted(folder.glob("*.json")):
        ask, content, data = load(path)
        failed = must_failures(run_checks(ask, content, to_text(content)))
        ids = sorted({r.id for r in failed})
        if data["label"] == "good":
            good += 1
            accepted += not failed
            wrong = bool(failed)
        else:
            defects += 1
            caught += bool(failed)
            named += data["defect"]["check"] in ids
            wrong = data["defect"]["check"] not in ids
        if verbose and wrong:
            print(f"  {path.name}: label {data['defect'] and data['defect']['check']}")
            for r in failed:
                print(f"      {r.id}: {r.detail}")
    print(
        f"{folder.name:8s} good accepted {accepted}/{good}   defects caught {caught}/{defects}"
        f"   named check fails {named}/{defects}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss with its checks")
    args = parser.parse_args()
    for folder in sorted(p for p in LABELED.iterdir() if p.is_dir()):
        if any(folder.glob("*.json")):
            measure(folder, args.verbose)


if __name__ == "__main__":
    main()
