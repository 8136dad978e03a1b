import sys

from launchbench.cli import main

sys.exit(main())
