"""gunicorn settings for Legwork's workers: ``gunicorn --config python:app.gunicorn_conf ...``
(scripts/run, scripts/bench/loadtest.py and the reliability tests start it this way).

Once a worker has loaded the app, everything it allocated so far (modules, the SQLAlchemy
metadata, compiled statements, templates: hundreds of thousands of objects that live as long as
the process) is moved out of the garbage collector's sight with ``gc.freeze()``. Otherwise every
full collection walks all of them while the worker's threads wait: measured with
scripts/bench/loadtest.py at 500 posts/s offered (SQLite, 2 workers x 4 threads), p99 97-112 ms
without, 13-25 ms with. Objects made per request are still collected as usual.
"""
import gc


def post_worker_init(worker):
    # The route search's compiled code (walklists._search_jit, numba) is loaded before the first
    # request, not on it: 0.2 s from its cache, or a compile of several seconds after a deploy.
    from walklists._search import warm_up

    warm_up()
    gc.freeze()
