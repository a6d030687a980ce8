"""``python -m tthc._cli``."""

import sys

from tthc._cli import main

sys.exit(main())
