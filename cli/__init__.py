"""The command line: the composition root that wires db, ingest and api together."""
