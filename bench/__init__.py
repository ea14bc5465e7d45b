"""`make bench`: the engine, the server and the inventory measured on this machine (docs/performance.md)."""
