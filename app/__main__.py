"""python -m app migrate | parse | ingest | serve"""

import sys

from app.cli import main

sys.exit(main())
