"""node-agent-webhook: validates Velero node-agent ConfigMaps before node-agent reads them.

Layers (imports point one way, checked by import-linter): engine <- inventory <- admission <- cli.
"""

__version__ = "0.1.0"
