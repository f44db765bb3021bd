"""Background jobs on a Huey queue: what users start and wait for.

``queue`` picks the queue's storage from the configuration (one code path for all three):
SQLite beside an SQLite database (the embedded default), the app's own PostgreSQL database
when it runs on PostgreSQL (every app server and worker shares it), or Redis
(``PILOT_QUEUE_URL=redis://…``). ``submit`` records a ``Job`` and enqueues it; the worker
(``flask --app pilot jobs worker``, started with the app by ``make run``/``make serve``)
runs it through ``runner`` with the handler of its kind (``handlers``); ``progress`` keeps
what the user sees while it runs. A job survives a restart: it waits in the queue's storage,
and a worker that starts again re-queues the jobs it had begun.
"""
