"""`pitchgen` and `python -m pitchgen`: the command line, loaded with the cyclic garbage
collector paused.

Loading the CLI creates tens of thousands of objects that live as long as the process
(modules, classes, validators, compiled patterns), and the collector would walk them again
and again while they load: about a tenth of the CPU of `pitchgen draft --llm off`. So it waits
until they are loaded, then leaves them out of every later pass (`gc.freeze`) and runs as
usual for the command itself, which may be a server.
"""

import gc
import sys


def run() -> int:
    gc.disable()
    try:
        from pitchgen.cli import main
    finally:
        gc.freeze()
        gc.enable()
    return main()


if __name__ == "__main__":
    sys.exit(run())
