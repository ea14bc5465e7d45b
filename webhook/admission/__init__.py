"""The admission webhook: AdmissionReviews over HTTPS, decided by the engine on the inventory's view.

`review` speaks the AdmissionReview protocol (parse, decide, respond, the apiserver's limits on
messages and warnings); `serving` is the HTTPS server around it (TLS, deadlines, probes, metrics,
drain). `create_app` is the composition root; `serve` runs it under uvicorn with a drain on SIGTERM.
"""

from webhook.admission.serving.app import create_app
from webhook.admission.serving.lifecycle import Lifecycle
from webhook.admission.serving.logs import configure_logging
from webhook.admission.serving.ports import InventoryLike
from webhook.admission.serving.server import serve
from webhook.admission.serving.settings import Settings

__all__ = ["InventoryLike", "Lifecycle", "Settings", "configure_logging", "create_app", "serve"]
