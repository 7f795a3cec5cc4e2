"""`python -m sim` is the `cascadesim` command."""

from sim.cli import main

raise SystemExit(main())
