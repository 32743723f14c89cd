"""Report renders as jobs: on a Redis queue run by ``advisor worker`` processes when a broker
is configured, on this process's own guarded workers otherwise.

- ``records``: the store's record of each job (queued, running, done, failed), and the finished
  report, so every replica can serve it.
- ``tasks``: what a worker runs for a job.
- ``queues``: the broker's queue and the embedded one, behind one ``job_queue(settings)``.
- ``worker``: the ``advisor worker`` process.
"""
