"""The `helm test` hook and the opt-in pre-delete cleanup hook.

The test hook's shell script is run here, as rendered, against a stand-in `kubectl` that answers like
the API server with this webhook installed: it decides each server-side dry run with the real engine
(`node-agent-webhook validate`) and prints kubectl's messages. So the test checks the script's logic
and that its bad and good ConfigMaps really are denied and allowed; a real cluster runs it in the
end-to-end tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FULLNAME, NAMESPACE, REPO, Doc, Manifests, ci_file, render

WEBHOOK = "node-agent-config.velero.io"

# A kubectl for the script: `get` finds nothing; `create|replace --dry-run=server -f -` fails first as if
# the webhook were down (FAKE=down:N, N times, counted in $COUNT_FILE), then is answered by the engine
# (FAKE=engine, see DECIDE) or allowed whatever it is (FAKE=allow). Shell, so that retries are cheap.
FAKE_KUBECTL = """\
#!/bin/sh
case " $* " in *" get "*) exit 1 ;; esac
case " $* " in *" --dry-run=server "*) ;; *) echo "unexpected: $*" >&2; exit 2 ;; esac
case "$FAKE" in down:*)
  n=$(($(cat "$COUNT_FILE") + 1)); echo "$n" >"$COUNT_FILE"
  if [ "$n" -le "${FAKE#down:}" ]; then
    echo "Error from server (InternalError): Internal error occurred: failed calling webhook" \
      "\"$WEBHOOK_NAME\": failed to call webhook: connection refused" >&2
    exit 1
  fi
  FAKE=engine ;;
esac
[ "$FAKE" = allow ] && { cat >/dev/null; echo "configmap/$TARGET_NAME created (server dry run)"; exit 0; }
exec "$PYTHON" "$DECIDE"
"""

# The API server's answer with this webhook: the engine's verdict on the manifest read from stdin, in
# the words kubectl v1.37 prints for the webhook's denial (as the end-to-end tests recorded them).
DECIDE = """\
import os, subprocess, sys, tempfile
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    f.write(sys.stdin.read())
out = subprocess.run([sys.executable, "-m", "webhook", "validate", f.name], capture_output=True, text=True)
if out.returncode != 0:
    errors = [ln.strip().removeprefix("error: ") for ln in out.stdout.splitlines() if "error:" in ln]
    name, hook = os.environ["TARGET_NAME"], os.environ["WEBHOOK_NAME"]
    print(f'The request is invalid: error when creating "STDIN": admission webhook "{hook}" denied the '
          f'request: ConfigMap "{name}" is invalid: [{", ".join(errors)}]', file=sys.stderr)
    sys.exit(1)
print(f"configmap/{os.environ['TARGET_NAME']} created (server dry run)")
"""


def hook_pod(m: Manifests) -> Doc:
    [pod] = m.all("Pod", hooks=True)
    return pod


def run_hook(pod: Doc, tmp_path: Path, fake: str) -> subprocess.CompletedProcess[str]:
    """The pod's command with its env, `kubectl` and `sleep` replaced by stand-ins on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "kubectl").write_text(FAKE_KUBECTL)
    (bin_dir / "sleep").write_text("#!/bin/sh\nexit 0\n")  # the retry loop's pauses
    for tool in ("kubectl", "sleep"):
        (bin_dir / tool).chmod(0o755)
    (tmp_path / "decide.py").write_text(DECIDE)
    (tmp_path / "count").write_text("0")
    [container] = pod["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    env |= {"PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE": fake, "COUNT_FILE": str(tmp_path / "count")}
    env |= {"PYTHON": sys.executable, "DECIDE": str(tmp_path / "decide.py"), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*container["command"], *container["args"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_test_hook_is_a_helm_hook_pod(default: Manifests) -> None:
    pod = hook_pod(default)
    annotations = pod["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "test"
    # kept after a failure, so that `kubectl logs` shows what kubectl printed
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
    assert pod["spec"]["restartPolicy"] == "Never"
    [container] = pod["spec"]["containers"]
    assert container["image"] == "registry.k8s.io/kubectl:v1.37.1"
    assert {e["name"]: e["value"] for e in container["env"]} == {
        "HOME": "/tmp",
        "TARGET_NAMESPACE": NAMESPACE,
        "TARGET_NAME": "node-agent-config",
        "WEBHOOK_NAME": WEBHOOK,
    }
    assert "--dry-run=server" in container["args"][0]


def test_the_test_hook_targets_the_first_namespace_and_name() -> None:
    pod = hook_pod(render([ci_file("chart-certs")], sets=["velero.configMapNames={custom-config}"]))
    env = {e["name"]: e["value"] for e in pod["spec"]["containers"][0]["env"]}
    assert (env["TARGET_NAMESPACE"], env["TARGET_NAME"]) == ("velero", "custom-config")


def test_the_script_passes_when_bad_is_denied_and_good_allowed(default: Manifests, tmp_path: Path) -> None:
    out = run_hook(hook_pod(default), tmp_path, "engine")
    assert out.returncode == 0, out.stdout + out.stderr
    denial = f'admission webhook "{WEBHOOK}" denied the request: ConfigMap "node-agent-config" is invalid: ['
    assert f"{denial}loadConcurrency.globalConfig: Invalid value: 0" in out.stdout
    assert out.stdout.count("\nok\n") == 2 and "FAIL" not in out.stdout


def test_the_script_fails_when_the_bad_config_is_allowed(default: Manifests, tmp_path: Path) -> None:
    out = run_hook(hook_pod(default), tmp_path, "allow")
    assert out.returncode == 1
    assert "FAIL: allowed" in out.stdout


def test_the_script_waits_while_the_webhook_is_unreachable(default: Manifests, tmp_path: Path) -> None:
    out = run_hook(hook_pod(default), tmp_path, "down:3")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "count").read_text().strip() == "5"  # three refusals, then the bad and the good


def test_the_script_gives_up_when_the_webhook_stays_down(default: Manifests, tmp_path: Path) -> None:
    out = run_hook(hook_pod(default), tmp_path, "down:1000")
    assert out.returncode == 1
    assert "FAIL: refused, but not with the webhook's denial" in out.stdout
    assert "failed calling webhook" in out.stdout


def test_no_test_hook_when_disabled() -> None:
    m = render(sets=["tests.enabled=false"])
    assert not any(doc for doc in m if "helm.sh/hook" in (doc["metadata"].get("annotations") or {}))


# ---- cleanup -------------------------------------------------------------------------------------


def test_cleanup_is_opt_in(default: Manifests) -> None:
    assert default.all("Job") == []


def test_cleanup_deletes_the_webhook_configuration_before_anything_else() -> None:
    m = render([ci_file("networkpolicy-servicemonitor")])
    hooks = [d for d in m if d["metadata"]["name"] == f"{FULLNAME}-cleanup"]
    assert sorted(d["kind"] for d in hooks) == ["ClusterRole", "ClusterRoleBinding", "Job", "ServiceAccount"]
    weights = {d["kind"]: int(d["metadata"]["annotations"]["helm.sh/hook-weight"]) for d in hooks}
    assert weights["ServiceAccount"] < weights["ClusterRoleBinding"] < weights["Job"]
    for d in hooks:
        assert d["metadata"]["annotations"]["helm.sh/hook"] == "pre-delete"
    [job] = m.all("Job")
    spec = job["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == f"{FULLNAME}-cleanup"
    [container] = spec["containers"]
    assert [*container["command"], *container["args"]] == [
        "kubectl",
        "delete",
        "validatingwebhookconfiguration",
        FULLNAME,
        "--ignore-not-found",
        "--wait=false",
    ]
    assert job["spec"]["activeDeadlineSeconds"] <= 300  # an uninstall never hangs on it


@pytest.mark.parametrize("fullname", ["naw", "velero-node-agent-webhook"])
def test_cleanup_names_the_configuration_it_deletes(fullname: str) -> None:
    m = render([ci_file("networkpolicy-servicemonitor")], sets=[f"fullnameOverride={fullname}"])
    [job] = m.all("Job")
    assert fullname in job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert m.one("ValidatingWebhookConfiguration", fullname)
