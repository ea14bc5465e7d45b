"""The AdmissionReview protocol: a review in, the engine's decision, a review out, within the
apiserver's limits on denial messages and warnings."""
