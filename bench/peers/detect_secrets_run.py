"""Runs detect-secrets (PyPI) with its default plugins and filters over a text file, one finding per JSON line.

Usage: python detect_secrets_run.py FILE  ->  {"line": N (1-based), "type": "...", "value": "..."} per finding.
"""
import json
import sys

from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings


def main() -> None:
    path = sys.argv[1]
    collection = SecretsCollection()
    with default_settings():
        collection.scan_file(path)
    out = sys.stdout
    for _filename, secret in collection:
        out.write(json.dumps({"line": secret.line_number, "type": secret.type, "value": secret.secret_value}) + "\n")


if __name__ == "__main__":
    main()
