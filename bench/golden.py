"""Golden outputs: every draft and check report, compared between two checkouts (not a test).

    .venv/bin/python bench/golden.py [--against main] [--generated 300]

A speed change must not change what any draft or check says. This writes, for the checkout it
runs in and for `--against` (a git revision, checked out into a temporary worktree), the
template drafts of every channel (content, text, checks, warnings, recommendation) of every
ask in fixtures/asks, tests/data/asks and the labeled sets' asks, of `--generated` asks drawn
by the property tests' strategy (derandomized, drawn once here and fed to both sides), the
replayed model drafts of the recorded fixtures, and the check report of every labeled draft;
then prints the first differences. Exit 1 when the two differ.

    .venv/bin/python bench/golden.py --dump out.json --data asks.json   # one side only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ask_files(root: Path) -> list[Path]:
    folders = [root / "fixtures" / "asks", root / "tests" / "data" / "asks"]
    folders += sorted((root / "tests" / "data" / "labeled").glob("*/asks"))
    return [p for folder in folders for p in sorted(folder.iterdir()) if p.is_file()]


def generated_data(n: int) -> list[dict]:
    """`n` ask documents from the property tests' strategy, the same on every run."""
    if n <= 0:
        return []
    sys.path.insert(0, str(ROOT / "tests"))
    from hypothesis import HealthCheck, given, settings
    from strategies import ask_data

    from pitchgen.ask import validate_ask

    drawn: list[dict] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(ask_data())
    def collect(data: dict) -> None:
        try:
            validate_ask(data)
        except Exception:
            return
        drawn.append(data)

    collect()
    return drawn


def _set(draft_set) -> dict:
    data = draft_set.model_dump(mode="json", exclude={"ask_id"})
    for d in data["drafts"]:
        d.pop("id", None)
        for call in d.get("model_calls") or []:
            call.pop("latency_ms", None)  # the wall time of a replayed call: not an output
    return data


def dump(data_path: Path | None) -> dict:
    """Every output this checkout gives for the inputs, keyed by where each came from."""
    from pitchgen.ask import Channel, load_ask, validate_ask
    from pitchgen.checks.rubric import run_checks
    from pitchgen.content.models import CONTENT_MODELS
    from pitchgen.content.render import to_text
    from pitchgen.drafting.pipeline import draft
    from pitchgen.settings import Settings

    off = Settings(llm="off")
    out: dict = {}
    for path in ask_files(ROOT):
        try:
            ask = load_ask(path)
        except Exception as error:  # an ask a test expects to be refused
            out[f"ask {path.relative_to(ROOT)}"] = f"refused: {type(error).__name__}"
            continue
        out[f"ask {path.relative_to(ROOT)}"] = _set(draft(ask, list(Channel), settings=off))
    for i, data in enumerate(json.loads(data_path.read_text()) if data_path else []):
        out[f"generated {i}"] = _set(draft(validate_ask(data), list(Channel), settings=off))
    replay = Settings(llm="replay", fixtures=ROOT / "fixtures" / "llm")
    for path in sorted((ROOT / "fixtures" / "asks").iterdir()):
        ask = load_ask(path)
        out[f"replay {path.name}"] = _set(draft(ask, list(Channel), settings=replay))
    for path in sorted((ROOT / "tests" / "data" / "labeled").glob("*/*.json")):
        item = json.loads(path.read_text())
        ask_path = path.parent / "asks" / item["ask"]
        if not ask_path.exists():
            ask_path = ROOT / "fixtures" / "asks" / item["ask"]
        content = CONTENT_MODELS[item["channel"]].model_validate(item["content"])
        ask = load_ask(ask_path)
        text = to_text(content, ask.locale_tag)
        checks = run_checks(ask, content, text)
        out[f"labeled {path.relative_to(ROOT)}"] = [c.model_dump(mode="json") for c in checks]
    return out


def other_side(revision: str, data: Path, target: Path) -> None:
    """Dump `revision`'s outputs: a detached worktree of it, run with this interpreter (the
    same libraries), its own package first on the path."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), revision],
            check=True,
        )
        try:
            script = tree / "bench" / "golden.py"
            script.parent.mkdir(exist_ok=True)
            script.write_text(Path(__file__).read_text())
            subprocess.run(
                [sys.executable, str(script), "--dump", str(target), "--data", str(data)],
                check=True,
                cwd=tree,
                env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )


def differences(before: dict, after: dict, limit: int = 10) -> list[str]:
    found = []
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            found.append(
                f"{key}:\n  before {json.dumps(before.get(key))[:600]}\n"
                f"  after  {json.dumps(after.get(key))[:600]}"
            )
    return found[:limit] + ([f"... {len(found) - limit} more"] if found[limit:] else [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main")
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--dump", type=Path, help="write this checkout's outputs and stop")
    parser.add_argument("--data", type=Path, help="generated ask documents (JSON) to include")
    args = parser.parse_args()
    if args.dump:
        args.dump.write_text(json.dumps(dump(args.data), sort_keys=True))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "asks.json"
        data.write_text(json.dumps(generated_data(args.generated)))
        other_side(args.against, data, Path(tmp) / "before.json")
        before = json.loads((Path(tmp) / "before.json").read_text())
        after = json.loads(json.dumps(dump(data), sort_keys=True))
    found = differences(before, after)
    print(f"{len(after)} outputs compared with {args.against}: {len(found)} differ")
    print("\n".join(found))
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
