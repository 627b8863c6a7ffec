#!/usr/bin/env python3
"""Model provider under load: the test model server (tests/integration/fake_llm.py) answers
every call after a fixed 200 ms; 64 keep-alive connections post distinct descriptions for
BENCH_SECONDS (default 20) while one more connection probes /health/live every 10 ms.

Reports the rate the model receives against its ceiling LLM_MAX_CONCURRENCY / 0.2 s, the rate
of answers and of fallbacks, and /health/live p50/p99. Extra environment (LLM_MAX_CONCURRENCY,
LLM_QUEUE, BLOCKING_THREADS, ...) is passed to the server.

    python3 bench/llm/run.py            # prints a Markdown table row
"""

import http.client
import json
import os
import sys
import threading
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from fake_llm import FakeLlm  # noqa: E402
from harness import Server  # noqa: E402

DELAY = 0.2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main():
    llm = FakeLlm(delay=DELAY)
    env = {"CAPTION_PROVIDER": "llm", "LLM_BASE_URL": llm.base_url, "LLM_MODEL": "bench",
           "RATE_LIMIT_PER_MINUTE": "100000000", "RATE_LIMIT_BURST": "100000000", "ACCESS_LOG": "false"}
    for name in ("LLM_MAX_CONCURRENCY", "LLM_QUEUE", "LLM_TIMEOUT_MS", "BLOCKING_THREADS", "BLOCKING_QUEUE"):
        if name in os.environ:
            env[name] = os.environ[name]
    concurrency = int(env.get("LLM_MAX_CONCURRENCY", "8"))
    server = Server(env=env)
    stop = time.monotonic() + SECONDS
    counts = {"ok": 0, "fallback": 0, "error": 0}
    lock = threading.Lock()
    health = []

    def client(worker):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        i = 0
        while time.monotonic() < stop:
            i += 1
            body = json.dumps({"content_description":
                               f"Fresh sourdough loaves at our bakery on Main Street, $5 each, batch {worker}-{i}"})
            try:
                conn.request("POST", "/api/v14/generate", body=body,
                             headers={"Authorization": "Bearer " + server.key, "Content-Type": "application/json"})
                res = conn.getresponse()
                doc = json.loads(res.read())
                kind = "error" if res.status != 200 else (
                    "fallback" if doc["performance_metrics"]["fallback"] else "ok")
            except (OSError, ValueError, http.client.HTTPException):
                kind = "error"
                conn.close()
                conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
            with lock:
                counts[kind] += 1

    def prober():
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        while time.monotonic() < stop:
            start = time.monotonic()
            conn.request("GET", "/health/live")
            conn.getresponse().read()
            health.append((time.monotonic() - start) * 1000)
            time.sleep(0.01)

    threads = [threading.Thread(target=client, args=(w,)) for w in range(CONNECTIONS)]
    threads.append(threading.Thread(target=prober))
    began = time.monotonic()
    llm.reset()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    model_calls = len(llm.requests)
    server.close()
    llm.close()
    total = sum(counts.values())
    ceiling = concurrency / DELAY
    print("| LLM_MAX_CONCURRENCY | LLM_QUEUE | connections | model calls/s | ceiling/s | ratio | "
          "answers/s | fallback rate | errors | peak in flight | health p50 ms | health p99 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {concurrency} | {env.get('LLM_QUEUE', '64')} | {CONNECTIONS} | {model_calls / elapsed:.1f} | "
          f"{ceiling:.0f} | {model_calls / elapsed / ceiling:.2f} | {total / elapsed:.1f} | "
          f"{counts['fallback'] / max(total, 1):.3f} | {counts['error']} | {llm.max_in_flight} | "
          f"{percentile(health, 0.5):.2f} | {percentile(health, 0.99):.2f} |")


if __name__ == "__main__":
    main()
