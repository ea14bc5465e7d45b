"""The validation engine: a node-agent ConfigMap, a view of the cluster and a Velero version in,
a verdict out. Pure: no I/O, no web framework, no Kubernetes client, so the admission server, the
offline CLI and the tests all judge a config the same way."""
