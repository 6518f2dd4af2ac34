"""The entry point of the one-file executable (packaging/cairn.spec): the `cairn` command."""

import sys

from cairn.server.cli import main

if __name__ == "__main__":
    sys.exit(main())
