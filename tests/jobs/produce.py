"""An app process in miniature: asks for the PDF report of the one submitted assessment, as
the results page does, then follows the job until it is finished. Prints JSON lines:
{"job": id} once asked, then {"state": ..., "words": ..., "bytes": n}.

    python tests/jobs/produce.py EMAIL PASSWORD     (settings from ADVISOR_* variables)
"""

from __future__ import annotations

import json
import sys
import time

from jobs_world import WAIT_SECONDS, assessed_as

from advisor.jobs.queues import job_queue
from advisor.services.report_jobs import report_job, start_report
from advisor.settings import load_settings


def main() -> None:
    email, password = sys.argv[1], sys.argv[2]
    settings = load_settings()
    queue = job_queue(settings)
    found = assessed_as(settings, email, password)
    job_id = start_report(found.db, found.who, found.assessed, found.kb, "pdf", queue)
    print(json.dumps({"job": job_id, "queue": queue.kind}), flush=True)
    deadline = time.monotonic() + WAIT_SECONDS
    view = report_job(found.db, found.who, job_id, queue)
    while not view.finished and time.monotonic() < deadline:
        time.sleep(0.2)
        view = report_job(found.db, found.who, job_id, queue)
    size = len(view.download.data) if view.download is not None else 0
    print(json.dumps({"state": view.state, "words": view.words, "bytes": size}), flush=True)


if __name__ == "__main__":
    main()
