"""The command line: the same engine for CI pipelines and people, and the server's entry point."""
