"""The generic core of the engine: what every config kind shares, knowing none of them.

Go's JSON reading and decoding (gojson, decode), a kind's schema and its walk (schema,
schema_check), unknown, duplicate and case-folded keys with their hints (keys, hints), Kubernetes'
naming rules, quantities and selectors (predicates, quantity, selectors), field paths and findings
(field, findings), the cluster view, Velero's releases, and the way one document or one ConfigMap
goes through a kind (document, configmap). A kind is a `ConfigKind` value (kind) handed in.
"""
