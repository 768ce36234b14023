"""Exit 0 when the PostgreSQL URL given answers within three seconds, 1 otherwise."""

import sys

try:
    import psycopg
except ImportError:
    sys.exit(1)

try:
    with psycopg.connect(sys.argv[1], connect_timeout=3):
        pass
except Exception:
    sys.exit(1)
