"""Running Django code beside sync Playwright.

Services broadcast through ``async_to_sync``, which cannot run in the thread
that holds Playwright's event loop; ``off_the_loop`` runs a function in a
worker thread and closes that thread's database connection afterwards (an
open one would keep the test database from being dropped).
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def off_the_loop(function, *args, **kwargs):
    def work():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()
