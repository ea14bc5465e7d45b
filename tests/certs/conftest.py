import sys
from pathlib import Path

# tls_process (the server as a process, verifying clients) lives beside the ASGI tests
sys.path.insert(0, str(Path(__file__).parents[1] / "admission"))
