"""One GET endpoint hammered by closed-loop users (no think time): BENCH_PATH says which."""

import os

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ.get("BENCH_PATH", "/bench/floor")


class PublicReader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        with self.client.get(PATH, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
