"""Scale-out on PostgreSQL: two `serve --workers 0` processes and two `worker` processes share one
database (a throwaway server started here on a Unix socket) and one data dir."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, Server
from test_videos_api import SHORT, renderers_of, wait_for

PG_BIN = "/usr/lib/postgresql/15/bin"


class Postgres:
    """initdb + pg_ctl in a temporary directory; as root, the server runs as the postgres user."""

    def __init__(self):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            raise RuntimeError(f"PostgreSQL 15 is not installed ({PG_BIN}/initdb): run scripts/install-deps")
        self.dir = tempfile.mkdtemp(prefix="reelgen-pg-")
        self.as_server = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_server = ["runuser", "-u", "postgres", "--"]
        self.data = os.path.join(self.dir, "data")
        self._run(f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.start()
        self._run(f"{PG_BIN}/createdb", "-h", self.dir, "-U", "postgres", "reelgen")
        self.url = f"postgresql:///reelgen?host={self.dir}&user=postgres"

    def start(self):
        self._run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w",
                  "-o", f"-k {self.dir} -c listen_addresses='' -F", "start")

    def stop(self):
        self._run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def _run(self, *cmd):
        subprocess.run([*self.as_server, *cmd], check=True, capture_output=True, timeout=60)

    def query(self, sql):
        out = subprocess.run([f"{PG_BIN}/psql", "-h", self.dir, "-U", "postgres", "-d", "reelgen", "-At", "-c", sql],
                             check=True, capture_output=True, text=True, timeout=30).stdout
        return [line.split("|") for line in out.splitlines() if line]

    def close(self):
        subprocess.run([*self.as_server, f"{PG_BIN}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


class Worker:
    """A running `reelgen worker`."""

    def __init__(self, env, data_dir, health_port=0):
        self.health_port = health_port
        self.proc = subprocess.Popen([BIN, "worker", "--workers", "1", "--data-dir", data_dir,
                                      "--health-port", str(health_port)], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        for line in self.proc.stdout:
            self.output.append(line)
            if line.startswith("reelgen worker rendering"):
                break
        else:
            raise RuntimeError("worker exited early:\n" + "".join(self.output))
        self._drain = threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True)
        self._drain.start()

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drain.join(timeout=2)


class ScaleOut(unittest.TestCase):
    """The tests run in the order of their numbers: later ones kill processes."""

    @classmethod
    def setUpClass(cls):
        cls.pg = Postgres()
        cls.data_dir = tempfile.mkdtemp(prefix="reelgen-shared-")
        cls.env = dict(os.environ, DATABASE_URL=cls.pg.url, LOG_LEVEL="warn", JOB_LEASE_MS="3000",
                       VIDEO_MAX_ACTIVE_PER_KEY="50")
        subprocess.run([BIN, "migrate"], env=cls.env, check=True, capture_output=True, timeout=30)
        # Replicas may not migrate: the schema is already there.
        replica_env = dict(cls.env, MIGRATE_ON_START="false", DATABASE_URL=cls.pg.url)
        cls.servers = [Server(env=replica_env, args=["--workers", "0"], data_dir=cls.data_dir)]
        cls.servers.append(Server(env=replica_env, args=["--workers", "0"], data_dir=cls.data_dir))
        # A server given a data dir does not wait for the key line; it follows "listening" at once.
        keys, deadline = [], time.monotonic() + 10
        while not keys and time.monotonic() < deadline:
            keys = [line.strip() for s in cls.servers for line in s.output if line.startswith("rg_")]
            time.sleep(0.02)
        keys += [line.strip() for s in cls.servers[1:] for line in s.output if line.startswith("rg_")]
        keys = sorted(set(keys))
        assert len(keys) == 1, "exactly one first admin key for two servers starting on one database"
        cls.key = keys[0]
        for s in cls.servers:
            s.key = cls.key
        with socket.socket() as s:  # a free port for the second worker's health server
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cls.workers = [Worker(replica_env, cls.data_dir), Worker(replica_env, cls.data_dir, port)]

    @classmethod
    def tearDownClass(cls):
        for w in cls.workers:
            w.close()
        for s in cls.servers:
            s.stop()
        shutil.rmtree(cls.data_dir, ignore_errors=True)
        cls.pg.close()

    def test_0_a_worker_serves_health_and_metrics_only(self):
        port = self.workers[1].health_port
        conn = lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        def get(path):
            c = conn()
            try:
                c.request("GET", path, headers={"Authorization": "Bearer " + self.key})
                r = c.getresponse()
                return r.status, r.read()
            finally:
                c.close()
        status, body = get("/health")
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual(doc["status"], "ok", doc)
        self.assertEqual(doc["store_backend"], "postgres")
        self.assertEqual(doc["checks"]["caption_engine"], "not used")
        self.assertEqual(get("/health/ready")[0], 200)
        status, body = get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b"reelgen_", body)
        self.assertEqual(get("/api/v1/videos")[0], 404)

    def test_1_a_key_created_on_one_server_works_on_the_other(self):
        out = subprocess.run([BIN, "keys", "create", "--name", "shared"], env=self.env, check=True,
                             capture_output=True, text=True, timeout=30).stdout
        secret = out.strip().splitlines()[-1]
        self.assertTrue(secret.startswith("rg_"))
        for s in self.servers:
            status, _, doc = s.json("GET", "/api/v1/videos", key=secret)
            self.assertEqual(status, 200, doc)
        status, _, _ = self.servers[1].json("GET", "/api/v1/videos", key="rg_" + "x" * 40)
        self.assertEqual(status, 401)

    def test_2_twenty_drafts_complete_exactly_once(self):
        ids = []
        for i in range(20):
            server = self.servers[i % 2]
            status, _, doc = server.json("POST", "/api/v1/videos", dict(SHORT, script=f"Draft number {i}."))
            self.assertEqual(status, 202, doc)
            ids.append(doc["video_id"])
        for i, video_id in enumerate(ids):
            final = wait_for(self.servers[(i + 1) % 2], video_id, {"completed", "failed"}, key=self.key)
            self.assertEqual(final["status"], "completed", final)
        rows = self.pg.query("SELECT id, attempts FROM jobs WHERE id IN (%s)" % ",".join(f"'{i}'" for i in ids))
        self.assertEqual(sorted(r[0] for r in rows), sorted(ids))
        self.assertEqual({r[1] for r in rows}, {"1"}, "every draft claimed exactly once")

    def test_2b_events_follow_a_job_rendered_by_another_process(self):
        script = " ".join(["Progress of this video is written by a worker process."] * 4)
        status, _, doc = self.servers[0].json("POST", "/api/v1/videos", {"script": script, "test": True})
        self.assertEqual(status, 202, doc)
        with self.servers[1].connect(timeout=120) as sock:
            sock.sendall(b"GET /api/v1/videos/%s/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
                         % (doc["video_id"].encode(), self.key.encode()))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        self.assertIn(b"200 OK", head.split(b"\r\n")[0])
        names = [e.splitlines()[0].split(": ", 1)[1] for e in body.decode().split("\n\n") if e.startswith("event:")]
        self.assertEqual(names[-1], "completed")
        self.assertIn("progress", names)

    def test_3_a_job_of_a_killed_worker_completes_on_the_other(self):
        script = " ".join(["This video is long enough to be caught while it renders."] * 6)
        status, _, doc = self.servers[0].json("POST", "/api/v1/videos", {"script": script, "test": True})
        self.assertEqual(status, 202, doc)
        video_id = doc["video_id"]
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            for w in self.workers:
                if renderers_of(w.proc.pid):
                    victim = w
            time.sleep(0.05)
        self.assertIsNotNone(victim, "no worker started rendering")
        victim.proc.send_signal(signal.SIGKILL)
        victim.proc.wait()
        final = wait_for(self.servers[1], video_id, {"completed", "failed"}, key=self.key)
        self.assertEqual(final["status"], "completed", final)
        self.assertEqual(self.pg.query(f"SELECT attempts FROM jobs WHERE id = '{video_id}'"), [["2"]])

    def test_4_the_other_server_serves_every_video_after_a_kill(self):
        self.servers[0].proc.send_signal(signal.SIGKILL)
        self.servers[0].proc.wait()
        ids = [r[0] for r in self.pg.query("SELECT id FROM jobs WHERE status = 'completed'")]
        self.assertGreaterEqual(len(ids), 22)
        for video_id in ids:
            status, headers, body = self.servers[1].request("GET", f"/api/v1/videos/{video_id}/file", key=self.key)
            self.assertEqual(status, 200, video_id)
            self.assertEqual(headers["content-type"], "video/mp4")
            self.assertGreater(len(body), 1000)

    def test_5_a_lost_database_is_503_and_degraded_then_recovers(self):
        server = self.servers[1]
        self.pg.stop()
        try:
            status, headers, body = server.request("GET", "/api/v1/videos", key=self.key)
            self.assertEqual(status, 503, body)
            self.assertEqual(headers.get("retry-after"), "1")
            status, _, doc = server.json("GET", "/health")
            self.assertEqual(status, 200)
            self.assertEqual(doc["status"], "degraded")
            self.assertEqual(doc["checks"]["store"], "unavailable")
            self.assertTrue(any(p.startswith("store: ") for p in doc["problems"]), doc)
            status, _, _ = server.request("GET", "/health/ready")
            self.assertEqual(status, 200)
        finally:
            self.pg.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status, _, _ = server.request("GET", "/api/v1/videos", key=self.key)
            if status == 200:
                break
            time.sleep(0.1)
        self.assertEqual(status, 200, "the server never reconnected")
        self.assertEqual(server.json("GET", "/health")[2]["status"], "ok")


if __name__ == "__main__":
    unittest.main()
