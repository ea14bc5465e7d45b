"""The admission webhook: AdmissionReviews over HTTPS, decided by the engine on the inventory's view.

`create_app` is the composition root; `serve` runs it under uvicorn with a drain on SIGTERM.
"""

from webhook.admission.app import create_app
from webhook.admission.lifecycle import Lifecycle
from webhook.admission.server import serve
from webhook.admission.settings import Settings
from webhook.admission.static import StaticInventory

__all__ = ["Lifecycle", "Settings", "StaticInventory", "create_app", "serve"]
