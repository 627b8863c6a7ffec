"""Redis as the shared L2 cache and rate limiter: two `serve` processes on one data directory and
one throwaway redis-server started here on a free loopback port."""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, Server
from test_postgres import Postgres, Worker
from test_videos_api import SHORT, wait_for

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """redis-server on 127.0.0.1, no persistence; command() speaks RESP over a socket."""

    def __init__(self):
        if not os.path.exists(REDIS_SERVER):
            raise RuntimeError("redis-server is not installed: run scripts/install-deps")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="reelgen-redis-")
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.command("PING") == "PONG":
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.kill()
        self.proc.wait()

    def command(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(out)
            f = s.makefile("rb")
            return self._read(f)

    def _read(self, f):
        line = f.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else f.read(n + 2)[:-2]
        if kind == b"*":
            return [self._read(f) for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line)

    def close(self):
        if self.proc.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def caption(description):
    return {"content_description": description, "style": "casual", "hashtag_count": 5}


class TwoServers(unittest.TestCase):
    """A redis-server and two servers on one data directory; the second reuses the first's admin
    key. env adds to REDIS_URL."""

    env = {}

    @classmethod
    def setUpClass(cls):
        cls.redis = Redis()
        env = dict(cls.env, REDIS_URL=cls.redis.url)
        cls.a = Server(env=env)
        cls.b = Server(env=env, data_dir=cls.a.data_dir)
        cls.b.key = cls.a.key

    @classmethod
    def tearDownClass(cls):
        cls.b.stop()
        cls.a.close()
        cls.b.proc.stdout.close()
        cls.redis.close()


def tier(server, name):
    status, _, doc = server.json("GET", "/performance/cache")
    assert status == 200, doc
    return next(t for t in doc["tiers"] if t["tier"] == name), doc


class SharedCache(TwoServers):
    """The tests run in the order of their numbers: the last ones stop and restart Redis."""

    env = {"REDIS_RETRY_MS": "200", "REDIS_TIMEOUT_MS": "300"}

    def test_0_a_caption_written_on_one_server_is_a_hit_on_the_other(self):
        body = caption("Fresh sourdough loaves cooling on the bakery window sill this morning")
        status, _, first = self.a.json("POST", "/api/v14/generate", body)
        self.assertEqual(status, 200, first)
        self.assertFalse(first["performance_metrics"]["cache_hit"])
        before, _ = tier(self.b, "l2")
        status, _, second = self.b.json("POST", "/api/v14/generate", body)
        self.assertEqual(status, 200, second)
        self.assertTrue(second["performance_metrics"]["cache_hit"])
        self.assertEqual(second["caption"], first["caption"])
        after, doc = tier(self.b, "l2")
        self.assertEqual(after["hits"], before["hits"] + 1)
        self.assertEqual(after["status"], "ok")
        self.assertGreaterEqual(after["entries"], 1)
        self.assertGreater(after["bytes"], 0)
        l1 = next(t for t in doc["tiers"] if t["tier"] == "l1")
        self.assertGreaterEqual(l1["entries"], 1)  # promoted into B's L1
        for t in doc["tiers"]:
            for field in ("hits", "misses", "hit_rate", "entries", "bytes", "compression_ratio", "prefetches"):
                self.assertIn(field, t)

    def test_1_values_in_redis_are_compressed_under_versioned_keys(self):
        keys = self.redis.command("KEYS", "reelgen:cache:v4:*")
        self.assertTrue(keys)
        stored = self.redis.command("GET", keys[0])
        expires_ms = int.from_bytes(stored[:8], "little")  # the entry's expiry travels with it
        self.assertAlmostEqual(expires_ms / 1000, time.time() + 86400, delta=60)
        self.assertIn(stored[8:9], (b"z", b"r"))
        l2, _ = tier(self.a, "l2")
        self.assertGreater(l2["compression_ratio"], 1.2, l2)  # captions are JSON: zstd pays

    def test_2_health_reports_redis(self):
        status, _, doc = self.a.json("GET", "/health")
        self.assertEqual(status, 200)
        self.assertEqual(doc["checks"]["redis"], "ok")
        self.assertEqual(doc["status"], "ok", doc)

    def test_3_redis_down_is_degraded_but_serves_then_recovers(self):
        known = caption("Fresh sourdough loaves cooling on the bakery window sill this morning")
        self.redis.stop()
        try:
            status, _, doc = self.a.json("POST", "/api/v14/generate", known)
            self.assertEqual(status, 200, doc)
            self.assertTrue(doc["performance_metrics"]["cache_hit"])  # from L1
            status, _, doc = self.b.json("POST", "/api/v14/generate", caption("Paddle boarding at dawn on a glassy alpine lake"))
            self.assertEqual(status, 200, doc)  # from the engine
            self.assertFalse(doc["performance_metrics"]["cache_hit"])
            status, _, health = self.a.json("GET", "/health")
            self.assertEqual(status, 200)
            self.assertEqual(health["status"], "degraded", health)
            self.assertEqual(health["checks"]["redis"], "unavailable")
            self.assertTrue(any(p.startswith("redis:") for p in health["problems"]), health)
            self.assertEqual(self.a.request("GET", "/health/ready")[0], 200)
        finally:
            self.redis.start()
        time.sleep(0.3)  # past REDIS_RETRY_MS: the next command reconnects
        body = caption("Street tacos from the night market with lime and fresh cilantro")
        deadline = time.monotonic() + 5
        while True:
            status, _, doc = self.a.json("POST", "/api/v14/generate", body)
            self.assertEqual(status, 200, doc)
            status, _, doc = self.b.json("POST", "/api/v14/generate", body)
            if doc["performance_metrics"]["cache_hit"] or time.monotonic() > deadline:
                break
            body = dict(body, hashtag_count=body["hashtag_count"] + 1)
        self.assertTrue(doc["performance_metrics"]["cache_hit"], "L2 used again after Redis came back")
        status, _, health = self.b.json("GET", "/health")
        self.assertEqual(health["checks"]["redis"], "ok", health)


    def test_4_a_hanging_redis_costs_a_timeout_on_the_pool_never_an_io_thread(self):
        self.redis.proc.send_signal(signal.SIGSTOP)  # connections open, no answers
        try:
            result = {}
            def slow_request():
                started = time.monotonic()
                result["status"] = self.a.json("POST", "/api/v14/generate", caption("Kayaks lined up on a quiet beach at low tide"))[0]
                result["seconds"] = time.monotonic() - started
            worker = threading.Thread(target=slow_request)
            worker.start()
            time.sleep(0.05)
            # New connections spread over both I/O threads: each probe answers at once.
            for _ in range(8):
                started = time.monotonic()
                self.assertEqual(self.a.request("GET", "/health/live")[0], 200)
                self.assertLess(time.monotonic() - started, 0.1, "an I/O thread waited on Redis")
            worker.join(timeout=10)
            self.assertEqual(result.get("status"), 200, result)
            self.assertGreaterEqual(result["seconds"], 0.25)  # REDIS_TIMEOUT_MS, then no more waits
            self.assertLess(result["seconds"], 2.0, result)
        finally:
            self.redis.proc.send_signal(signal.SIGCONT)


class SharedRateLimit(TwoServers):
    env = {"RATE_LIMIT_BURST": "5", "RATE_LIMIT_PER_IP_PER_MINUTE": "60", "TRUSTED_PROXIES": "127.0.0.1"}

    def test_a_key_gets_its_limit_once_across_replicas(self):
        out = self.a.cli("keys", "create", "--name", "ten-a-minute", "--rate-limit", "10")
        self.assertEqual(out.returncode, 0, out.stderr)
        key = out.stdout.strip().splitlines()[-1]
        statuses, last = [], None
        for i in range(12):
            server = (self.a, self.b)[i % 2]
            status, headers, _ = server.request("GET", "/api/v14/info", key=key)
            statuses.append(status)
            if status == 429:
                last = headers
        ok = statuses.count(200)
        # The bucket holds 5 and refills 10 a minute: in a second or two, 5 or 6 get through. With
        # a bucket per process, it would be 10.
        self.assertGreaterEqual(ok, 5, statuses)
        self.assertLessEqual(ok, 6, statuses)
        self.assertEqual(statuses.count(429), 12 - ok)
        self.assertIsNotNone(last)
        self.assertGreaterEqual(int(last["retry-after"]), 1)
        self.assertEqual(last["ratelimit-limit"], "5")
        self.assertEqual(last["ratelimit-remaining"], "0")
        self.assertIn(b"reelgen:rate:", b" ".join(self.redis.command("KEYS", "reelgen:rate:*")))

    def test_a_batch_takes_a_token_per_item_from_the_shared_bucket(self):
        out = self.a.cli("keys", "create", "--name", "batcher", "--rate-limit", "10")
        key = out.stdout.strip().splitlines()[-1]
        items = [caption(f"Batch item number {i} about mountain trails") for i in range(4)]
        status, _, doc = self.a.json("POST", "/api/v14/batch", {"requests": items}, key=key)
        self.assertEqual(status, 200, doc)
        status, headers, doc = self.b.json("POST", "/api/v14/batch", {"requests": items[:2]}, key=key)
        self.assertEqual(status, 429, doc)  # 4 of 5 taken on A; B's request needs 2 more
        self.assertIn("retry-after", headers)

    def test_unauthenticated_routes_are_limited_per_client_address(self):
        def metrics(server, forwarded):
            return server.request("GET", "/metrics", headers={"X-Forwarded-For": forwarded})[0]
        statuses = [metrics((self.a, self.b)[i % 2], "198.51.100.7") for i in range(7)]
        self.assertEqual(statuses[:5], [200] * 5, statuses)
        self.assertEqual(statuses[-1], 429, statuses)
        # Another client behind the same trusted proxy has its own bucket; probes are never limited.
        self.assertEqual(metrics(self.a, "198.51.100.8"), 200)
        for _ in range(8):
            self.assertEqual(self.b.request("GET", "/health/live", headers={"X-Forwarded-For": "198.51.100.7"})[0], 200)


class FleetWarmupAndPrefetch(TwoServers):
    lines = [caption(f"Popular request {i}: cold brew coffee on a sunny balcony") for i in range(3)]

    @classmethod
    def setUpClass(cls):
        cls.warm = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
        cls.warm.write("\n".join(json.dumps(line) for line in cls.lines) + "\n")
        cls.warm.close()
        # L2 entries live 4 s; a prefetch round each second rewrites popular ones with less than
        # two seconds left.
        cls.env = {"CACHE_WARMUP_FILE": cls.warm.name, "PREFETCH_INTERVAL": "1", "REDIS_CACHE_TTL": "4"}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.unlink(cls.warm.name)

    def test_0_the_fleet_warms_once_and_the_other_server_hits_l2(self):
        _, doc_a = tier(self.a, "l1")
        _, doc_b = tier(self.b, "l1")
        self.assertEqual(doc_a["warmup"]["cached"], 3, doc_a["warmup"])
        self.assertFalse(doc_a["warmup"]["by_another_process"])
        self.assertTrue(doc_b["warmup"]["by_another_process"], doc_b["warmup"])
        self.assertEqual(doc_b["warmup"]["cached"], 0)
        before, _ = tier(self.b, "l2")
        status, _, doc = self.b.json("POST", "/api/v14/generate", self.lines[0])
        self.assertEqual(status, 200, doc)
        self.assertTrue(doc["performance_metrics"]["cache_hit"])
        self.assertEqual(tier(self.b, "l2")[0]["hits"], before["hits"] + 1)

    def test_1_popular_captions_are_written_again_before_they_expire(self):
        body = caption("A tiny studio apartment makeover with plants and warm lights")
        for server in (self.a, self.b, self.a):
            self.assertEqual(server.json("POST", "/api/v14/generate", body)[0], 200)
        deadline = time.monotonic() + 10
        prefetched = 0
        while time.monotonic() < deadline and prefetched == 0:
            time.sleep(0.2)
            prefetched = sum(tier(s, "l2")[0]["prefetches"] for s in (self.a, self.b))
        self.assertGreater(prefetched, 0)
        popular = self.redis.command("KEYS", "reelgen:popular:*")
        self.assertTrue(popular)
        members = self.redis.command("ZRANGE", popular[0], 0, -1, "WITHSCORES")
        self.assertIn(json.dumps(body).encode(), members)


class PostgresRedisAndWorker(unittest.TestCase):
    """The whole scale-out: PostgreSQL + Redis + two API servers + one rendering worker."""

    @classmethod
    def setUpClass(cls):
        cls.pg = Postgres()
        cls.redis = Redis()
        cls.data_dir = tempfile.mkdtemp(prefix="reelgen-fleet-")
        env = dict(os.environ, DATABASE_URL=cls.pg.url, REDIS_URL=cls.redis.url, LOG_LEVEL="warn")
        subprocess.run([BIN, "migrate"], env=env, check=True, capture_output=True, timeout=30)
        env["MIGRATE_ON_START"] = "false"
        out = subprocess.run([BIN, "keys", "create", "--name", "fleet", "--rate-limit", "600"], env=env,
                             check=True, capture_output=True, text=True, timeout=30).stdout
        cls.key = out.strip().splitlines()[-1]
        cls.servers = [Server(env=env, args=["--workers", "0"], data_dir=cls.data_dir) for _ in range(2)]
        for s in cls.servers:
            s.key = cls.key
        cls.worker = Worker(env, cls.data_dir)

    @classmethod
    def tearDownClass(cls):
        cls.worker.close()
        for s in cls.servers:
            s.close()
        cls.redis.close()
        cls.pg.close()
        shutil.rmtree(cls.data_dir, ignore_errors=True)

    def test_captions_are_shared_and_a_video_submitted_on_one_is_rendered_and_seen_on_the_other(self):
        a, b = self.servers
        body = caption("Sunrise yoga on the rooftop before the city wakes up")
        self.assertFalse(a.json("POST", "/api/v14/generate", body)[2]["performance_metrics"]["cache_hit"])
        self.assertTrue(b.json("POST", "/api/v14/generate", body)[2]["performance_metrics"]["cache_hit"])
        status, _, doc = a.json("POST", "/api/v1/videos", SHORT)
        self.assertEqual(status, 202, doc)
        final = wait_for(b, doc["video_id"], {"completed", "failed"}, key=self.key, timeout=120)
        self.assertEqual(final["status"], "completed", final)
        for s in self.servers:
            status, _, health = s.json("GET", "/health")
            self.assertEqual(health["status"], "ok", health)
            self.assertEqual(health["store_backend"], "postgres")
            self.assertEqual(health["checks"]["redis"], "ok")
        self.assertTrue(self.redis.command("KEYS", "reelgen:rate:*"), "the key's bucket is in Redis")


if __name__ == "__main__":
    unittest.main()
