# `make bench`: every figure of docs/performance.md, into bench/out/summary.json (about ten minutes).
# `make bench-smoke`: the same harness with short runs, to show it works (what `make test` runs).
# The load generator is Debian's wrk, pinned; it is installed when missing (as root, like CI).
WRK_VERSION := 4.1.0-3+b2

.PHONY: bench bench-smoke bench-profile wrk
TEST_DEPS += wrk

wrk:
	@if [ "$$(dpkg-query -W -f='$${Version}' wrk 2>/dev/null)" = "$(WRK_VERSION)" ]; then exit 0; fi; \
	echo "wrk: installing $(WRK_VERSION) from Debian's packages"; \
	apt-get update -qq && apt-get install -y -qq --allow-downgrades wrk=$(WRK_VERSION) >/dev/null

bench: install wrk
	$(BIN)/python -m bench

bench-smoke: install wrk
	$(BIN)/python -m bench --smoke

# py-spy (a pinned dev dependency) samples the server under wrk: what takes the time, by function.
bench-profile: install wrk
	$(BIN)/python -m bench.profile server
