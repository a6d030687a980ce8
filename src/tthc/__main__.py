"""``python -m tthc`` runs the command line."""

import sys

from tthc.cli import main

sys.exit(main())
