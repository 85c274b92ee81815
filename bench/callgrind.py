"""Instructions a command executes, counted by `valgrind --tool=callgrind`: the one runner the
bench scripts share (bench/instructions.py, bench/get_overhead.py, bench/post_overhead.py).

A count holds on a loaded machine where wall and CPU times do not; a figure is a run doing the
work less a run doing only its set-up.
"""

from __future__ import annotations

import re
import subprocess


def collected(command: list[str], env: dict[str, str] | None = None) -> int:
    """The instructions `command` executed, every thread's (the profile itself is not kept)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(re.search(r"Collected : (\d+)", result.stderr)[1])
