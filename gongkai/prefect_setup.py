"""Prefect as the command line sets it up, before Prefect is first imported: offline, quiet on the
terminal, its ephemeral API given time to start; and where a run can be seen in Prefect's UI."""

from __future__ import annotations

import os

QUIET_PREFECT = {
    # Offline and unattended: no telemetry, no version checks, nothing on the terminal but warnings.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # Run and task logs go to Prefect's UI at INFO; the terminal shows warnings only.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    # A local Dask cluster logs every scheduler and worker step at INFO.
    "DASK_LOGGING__DISTRIBUTED": "warning",
    # Prefect gives its ephemeral API 20 s to start; a county office's two cores, busy starting a Dask
    # cluster beside it, have been seen to need more (the run then failed before it began).
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def configure_prefect(verbose: bool = False) -> None:
    """Set before Prefect is imported; a user's own settings (PREFECT_API_URL…) are kept."""
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO"
        os.environ["DASK_LOGGING__DISTRIBUTED"] = "info"


def ui_link(flow_run_id: str) -> str | None:
    """The run's page in Prefect's UI, when the run reported to a server that outlives it
    (PREFECT_API_URL); None with the ephemeral API, which stopped with the run."""
    if not os.environ.get("PREFECT_API_URL") or not flow_run_id:
        return None
    from prefect.settings import get_current_settings

    ui = get_current_settings().ui_url  # PREFECT_UI_URL, derived from the API's address unless set
    return f"{ui.rstrip('/')}/runs/flow-run/{flow_run_id}" if ui else None
