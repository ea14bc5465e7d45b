import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tls_process (starting the server as a process) lives beside the ASGI tests; process_support here
sys.path.insert(0, str(Path(__file__).parents[1] / "admission"))
sys.path.insert(0, str(Path(__file__).parent))


from tls_process import Pki, WebhookProcess, make_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def server(pki: Pki) -> Iterator[WebhookProcess]:
    """One server with the default settings, shared by the tests that only send it requests."""
    with WebhookProcess(pki) as process:
        yield process
