"""`pitchgen` and `python -m pitchgen`: the command line, loaded with the cyclic garbage
collector paused (`pitchgen.loading`)."""

import sys


def run() -> int:
    from pitchgen.loading import lasting

    with lasting():
        from pitchgen.cli import main
    return main()


if __name__ == "__main__":
    sys.exit(run())
