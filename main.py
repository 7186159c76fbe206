"""Start the thoracic ultrasound-guided injection trainer (see `python main.py --help`)."""

import sys

from trainer.cli import main

if __name__ == "__main__":
    sys.exit(main())
