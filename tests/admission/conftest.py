import sys
from pathlib import Path

# the helper modules beside the tests (admission_support, tls_process)
sys.path.insert(0, str(Path(__file__).parent))
