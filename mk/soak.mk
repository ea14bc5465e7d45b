# `make soak`: the real server at a fixed request rate for a long time (issue 8); not part of `make test`.
# SOAK_SECONDS=60 make soak for a short run. Prints requests, errors, latency and the server's RSS at
# start, after warm-up and at the end; fails on any failed request or an unclean exit.
SOAK_SECONDS ?= 600
SOAK_RATE ?= 200

.PHONY: soak
soak: install
	$(BIN)/python tools/soak/soak.py --seconds $(SOAK_SECONDS) --rate $(SOAK_RATE)
