"""python -m app migrate | parse | ingest | serve"""

import sys

from app.cli import main

if __name__ == "__main__":  # parser processes may import the main module again (multiprocessing)
    sys.exit(main())
