"""``python -m socialkpi.cli``: the command line."""

import sys

from socialkpi.cli import main

sys.exit(main())
