"""The HTTPS server around the review protocol: TLS and its reload, deadlines on slow clients, body
limits, probes, metrics, the large-review worker and the drain on SIGTERM."""
