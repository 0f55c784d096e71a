"""`python -m cli`: the same as the `annals` command."""

from cli.main import main

raise SystemExit(main())
