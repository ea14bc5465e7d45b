# The Velero oracle (tools/velero-oracle): what node-agent itself does with a config, computed by
# Velero's own Go code, for the differential tests in tests/fidelity. One Go module per pinned Velero
# release; each builds into .bin/velero-oracle-<release>, rebuilt only when a source of it changed.
# A cold build compiles Velero's and client-go's packages: several minutes on 2 cores, then cached.
VELERO_ORACLE_RELEASES := v1.18.2 v1.16.2
VELERO_ORACLE_BINS     := $(VELERO_ORACLE_RELEASES:%=$(TOOLS)/velero-oracle-%)
VELERO_ORACLE_SRC      := tools/velero-oracle
# The Go toolchain of the machine (any Go >= the modules' `go` lines); /usr/local/go when not on PATH.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)

.PHONY: velero-oracle
TEST_DEPS += velero-oracle

velero-oracle: $(VELERO_ORACLE_BINS)

# -mod=readonly: the pinned go.sum is the whole truth; a missing sum fails instead of being added.
$(TOOLS)/velero-oracle-%: $(VELERO_ORACLE_SRC)/%/go.mod $(VELERO_ORACLE_SRC)/%/go.sum \
		$(VELERO_ORACLE_SRC)/%/velero.go $(VELERO_ORACLE_SRC)/shared/main.go
	@set -euo pipefail; start=$$(date +%s); mkdir -p $(TOOLS); \
	echo "velero-oracle: building $@ against Velero $* ($$($(GO) version | cut -d' ' -f3); cold: minutes)"; \
	cd $(VELERO_ORACLE_SRC)/$* && GOFLAGS="-mod=readonly -buildvcs=false" $(GO) build -trimpath -ldflags='-s -w' \
	  -o $(CURDIR)/$@.tmp .; \
	mv $(CURDIR)/$@.tmp $(CURDIR)/$@; \
	echo "velero-oracle: $@ built in $$(( $$(date +%s) - start ))s"
