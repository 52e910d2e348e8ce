"""Audit the pinned dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Exit 1 when any pinned package has a known vulnerability. When the advisory service cannot
be reached (machines without internet), say so plainly and how many packages went
unaudited; exit 0 then, or 1 with AUDIT_STRICT=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"


def main() -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--format", "json",
         "--progress-spinner", "off", "--no-deps", "--disable-pip"],
        capture_output=True, text=True)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(proc.stderr.strip()[-2000:] or "pip-audit printed no report", file=sys.stderr)
        print("AUDIT NOT POSSIBLE: pip-audit could not run (see above).")
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for d in vulnerable:
        for v in d["vulns"]:
            fixes = ", ".join(v.get("fix_versions", [])) or "no fix yet"
            print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {fixes})")
    audited = len(deps) - len(skipped)
    print(f"audit: {len(deps)} pinned packages, {audited} audited, {len(skipped)} not audited, "
          f"{len(vulnerable)} with known vulnerabilities")
    if vulnerable:
        return 1
    if deps and not audited:
        print("AUDIT NOT POSSIBLE: the advisory service did not answer for any package "
              "(no internet here?). Run `make audit` where PyPI's JSON API is reachable.")
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
