import sys

from pitchgen.cli import main

sys.exit(main())
