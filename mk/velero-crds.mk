# Velero's CustomResourceDefinitions for the end-to-end tests (BackupStorageLocations, BackupRepositories,
# Backups, Schedules, Restores ... in the real kube-apiserver), from Velero's own module at the newest
# release this tool knows: the Go module proxy serves its source, config/crd/v1/bases holds them.
# The module's h1 sum is pinned here and checked, as go.sum would: a different source never lands.
# the newest release of webhook/engine/core/releases.json (the one list of releases); its sum below
VELERO_CRDS_VERSION := v$(shell python3 -c 'import json; print(json.load(open("webhook/engine/core/releases.json"))["released"][-1])')
VELERO_CRDS_SUM     := h1:FUscTf6W+d/WpDHfGTlAbCgMETkduMuyCeWDbqiOqgM=
VELERO_CRDS_DIR     := $(TOOLS)/velero-crds-$(VELERO_CRDS_VERSION)

.PHONY: velero-crds
TEST_DEPS += velero-crds

velero-crds: $(VELERO_CRDS_DIR)/.complete

$(VELERO_CRDS_DIR)/.complete: mk/velero-crds.mk
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cd "$$tmp" && GOFLAGS= GONOSUMDB=github.com/vmware-tanzu/velero \
	  $(GO) mod download -json github.com/vmware-tanzu/velero@$(VELERO_CRDS_VERSION) >"$$tmp/module.json"; \
	sum=$$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Sum"])' "$$tmp/module.json"); \
	if [ "$$sum" != "$(VELERO_CRDS_SUM)" ]; then echo "velero-crds: sum $$sum, pinned $(VELERO_CRDS_SUM)" >&2; exit 1; fi; \
	dir=$$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Dir"])' "$$tmp/module.json"); \
	rm -rf $(CURDIR)/$(VELERO_CRDS_DIR); mkdir -p $(CURDIR)/$(VELERO_CRDS_DIR); \
	cp "$$dir"/config/crd/v1/bases/*.yaml $(CURDIR)/$(VELERO_CRDS_DIR)/; \
	touch $(CURDIR)/$@; echo "velero-crds: $(VELERO_CRDS_DIR) from Velero $(VELERO_CRDS_VERSION)"
