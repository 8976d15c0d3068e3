"""``python -m flaxact_dev.report``: redraw the figures whose results changed."""

import sys

from flaxact_dev.report.figures import main

sys.exit(main(sys.argv[1:]))
