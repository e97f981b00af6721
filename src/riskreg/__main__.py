"""`python -m riskreg` runs the same entry point as the `riskreg` console script."""

from riskreg.cli import main

raise SystemExit(main())
