"""`python -m trainer`: the same as `thoracic-trainer` and `python main.py`."""

import sys

from trainer.cli import main

sys.exit(main())
