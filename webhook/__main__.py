"""`python -m webhook` is the `node-agent-webhook` command."""

from webhook.cli.main import run

run()
