#!/usr/bin/env python3
"""Soak run: mixed caption, video-status and submit load at a fixed rate against a release build,
sampling the server's RSS, open descriptors and the last minute's p99 latency once a minute.
Writes bench/results/soak.md. Not a test: numbers, not pass/fail; read the table for growth.

  bench/load/soak.py            (env: SOAK_MINUTES=30 SOAK_RATE=200 SOAK_THREADS=8)
"""

import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("REELGEN_BIN", os.path.join(ROOT, "build/release/src/app/reelgen"))
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("SOAK_RATE", "200"))  # requests per second, all threads together
THREADS = int(os.environ.get("SOAK_THREADS", "8"))
OUT = os.path.join(ROOT, "bench/results/soak.md")

SUBJECTS = ["sunset over the ocean", "morning coffee ritual", "city skyline at night", "trail run in the hills",
            "homemade pasta dinner", "studio portrait session", "weekend farmers market", "snowy mountain cabin"]
STYLES = ["casual", "professional", "inspirational", "playful"]


def start_server(data_dir):
    env = dict(os.environ, LOG_LEVEL="warn", ACCESS_LOG="false", JOB_WORKERS="1",
               VIDEO_MAX_ACTIVE_PER_KEY="1000", VIDEO_DAILY_QUOTA="1000000", VIDEO_RETENTION_HOURS="1")
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--data-dir", data_dir], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, text=True)
    port = key = None
    while port is None or key is None:
        line = proc.stdout.readline()
        if not line:
            sys.exit("the server exited early")
        match = re.match(r"reelgen listening on http://[\d.]+:(\d+)", line)
        if match:
            port = int(match.group(1))
        if line.startswith("rg_"):
            key = line.strip()
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, port, key


def main():
    data_dir = tempfile.mkdtemp(prefix="reelgen-soak-")
    proc, port, key = start_server(data_dir)
    # A key without a rate limit: the run measures the server, not the default bucket.
    created = subprocess.run([BIN, "keys", "create", "--name", "soak", "--rate-limit", "0", "--data-dir", data_dir],
                             capture_output=True, check=True, text=True)
    key = created.stdout.strip().splitlines()[-1]
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    lock = threading.Lock()
    latencies, statuses, video_ids = [], {}, []
    stop = threading.Event()

    def one(conn, n):
        kind = n % 20
        if kind == 0:  # 5 %: submit a draft video
            body = json.dumps({"script": "A short soak-test clip number %d." % n, "test": True})
            conn.request("POST", "/api/v1/videos", body=body, headers=headers)
        elif kind < 8 and video_ids:  # 35 %: a video's status
            conn.request("GET", "/api/v1/videos/" + random.choice(video_ids), headers=headers)
        else:  # 60 %: a caption, hits and misses
            body = json.dumps({"content_description": random.choice(SUBJECTS) + (" %d" % random.randrange(50)),
                               "style": random.choice(STYLES), "hashtag_count": 10})
            conn.request("POST", "/api/v14/generate", body=body, headers=headers)
        res = conn.getresponse()
        data = res.read()
        if kind == 0 and res.status == 202:
            with lock:
                video_ids.append(json.loads(data)["video_id"])
                del video_ids[:-200]
        return res.status

    def worker(index):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        interval = THREADS / RATE
        next_at = time.monotonic() + index * interval / THREADS
        n = index
        while not stop.is_set():
            now = time.monotonic()
            if now < next_at:
                time.sleep(next_at - now)
            next_at += interval
            started = time.monotonic()
            try:
                status = one(conn, n)
            except (OSError, http.client.HTTPException):
                status = "error"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                latencies.append(time.monotonic() - started)
                statuses[status] = statuses.get(status, 0) + 1
            n += THREADS

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for t in threads:
        t.start()
    rows = []
    began = time.monotonic()
    for minute in range(1, int(MINUTES) + 1):
        time.sleep(max(0.0, began + 60 * minute - time.monotonic()))
        with lock:
            window, latencies[:] = sorted(latencies), []
            counts = dict(statuses)
        rss_kb = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{proc.pid}/status").read()).group(1))
        fds = len(os.listdir(f"/proc/{proc.pid}/fd"))
        p99 = window[int(len(window) * 0.99) - 1] * 1000 if window else 0
        rows.append((minute, len(window) / 60, p99, rss_kb / 1024, fds))
        print(f"minute {minute}: {len(window) / 60:.0f} req/s p99 {p99:.1f} ms rss {rss_kb / 1024:.1f} MB fds {fds}",
              flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(data_dir, ignore_errors=True)
    with open(OUT, "w") as out:
        out.write("# Soak run\n\n")
        out.write(f"`bench/load/soak.py`: {MINUTES:g} minutes at {RATE:g} requests/s from {THREADS} keep-alive "
                  "connections, 60 % captions (hits and misses), 35 % video status, 5 % draft video submissions "
                  "(rendered by one worker); release build, 2 cores shared with other work. "
                  f"Answers by status: {json.dumps(counts, default=str)}.\n\n")
        out.write("| minute | req/s | p99 ms | RSS MB | open fds |\n| --- | --- | --- | --- | --- |\n")
        for minute, rps, p99, rss, fds in rows:
            out.write(f"| {minute} | {rps:.0f} | {p99:.1f} | {rss:.1f} | {fds} |\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
