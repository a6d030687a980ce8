"""``python -m tthc`` runs the command line."""

import sys

from tthc._cli import main

sys.exit(main())
