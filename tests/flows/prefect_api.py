"""What Prefect recorded of the runs in a PREFECT_HOME, read through Prefect's public client (its
ephemeral API over that home's database), in a process of its own so this one's settings stay as they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

with get_client(sync_client=True) as client:
    runs = client.read_flow_runs()
    print(json.dumps({
        "flow_runs": [[str(r.id), r.state_name] for r in runs],
        "task_runs": {
            str(r.id): [[t.name, t.state_name] for t in client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[r.id])))]
            for r in runs
        },
        "artifacts": [a.key for a in client.read_artifacts()],
        "parameters": {str(r.id): r.parameters for r in runs},
    }, default=str))
"""


def recorded(home: Path) -> dict:
    """{"flow_runs": [[id, state]], "task_runs": {flow run id: [[task run name, state]]}, "artifacts": [key],
    "parameters": {flow run id: {name: value}}}."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
