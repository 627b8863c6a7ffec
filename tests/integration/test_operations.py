"""Health, readiness, metrics, performance analysis, cache warm-up and graceful shutdown."""

import json
import os
import signal
import socket
import tempfile
import time
import unittest

from harness import Reader, Server, ServerTestCase, closed_by_peer


class Operations(ServerTestCase):
    def test_health_reports_checks(self):
        status, _, doc = self.server.json("GET", "/health")
        self.assertEqual(status, 200)
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc["checks"], {"store": "ok", "redis": "not used", "caption_engine": "ok"})
        self.assertEqual(doc["store_backend"], "sqlite")
        self.assertEqual(self.server.json("GET", "/health/ready")[2], {"status": "ready"})

    def test_numbers_are_written_plainly_everywhere(self):
        # Issue 10, row 11: 6E3, 1E2 and 9.99E1 in /api/v14/info, /health, video JSON and logs.
        import re
        # A JSON number in exponent form, not the letters of an id ("vid_…K1E1…").
        exponent = re.compile(rb"[:\[,]\s*-?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]")
        for path in ("/api/v14/info", "/health", "/performance/status", "/performance/cache"):
            with self.subTest(path=path):
                status, _, body = self.server.request("GET", path, key=self.server.key)
                self.assertEqual(status, 200)
                self.assertIsNone(exponent.search(body), body[:300])
        status, _, body = self.server.request("POST", "/api/v1/videos", key=self.server.key,
                                              body={"script": "Plain numbers please.", "test": True})
        self.assertEqual(status, 202)
        self.assertIsNone(exponent.search(body), body)

    def test_metrics_expose_requests_latency_cache_and_process(self):
        self.server.json("POST", "/api/v14/generate", {"content_description": "City lights at night"})
        self.server.json("POST", "/api/v14/generate", {"content_description": "City lights at night"})
        status, headers, body = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        self.assertIn('reelgen_http_requests_total{route="/api/v14/generate",status="200"} 2', text)
        self.assertIn('reelgen_http_request_duration_seconds_bucket{route="/api/v14/generate",le="+Inf"} 2', text)
        self.assertIn('reelgen_cache_hits_total{tier="l1"} 1', text)
        self.assertIn("reelgen_cache_entries", text)
        self.assertIn("reelgen_cache_bytes", text)
        self.assertIn("reelgen_http_requests_in_flight", text)
        self.assertIn("reelgen_caption_engine_seconds_count", text)
        rss = [l for l in text.splitlines() if l.startswith("process_resident_memory_bytes ")]
        self.assertEqual(len(rss), 1)
        self.assertGreater(float(rss[0].split()[1]), 1e6)
        self.assertIn("process_cpu_seconds_total", text)

    def test_performance_status_cache_and_ai(self):
        for i in range(5):
            self.server.json("POST", "/api/v14/generate", {"content_description": f"Mountain trail run {i}"})
        status, _, doc = self.server.json("GET", "/performance/status")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(doc["requests"], 5)
        self.assertGreater(doc["rps_last_minute"], 0)
        for q in ("mean", "p50", "p95", "p99"):
            self.assertGreater(doc["latency_ms"][q], 0)
        self.assertIn(doc["performance_grade"], list("ABCDF"))
        self.assertGreater(doc["uptime_seconds"], 0)
        status, _, cache = self.server.json("GET", "/performance/cache")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(cache["entries"], 5)
        self.assertIn("hit_rate", cache)
        status, _, ai = self.server.json("GET", "/performance/ai")
        self.assertEqual(status, 200)
        self.assertEqual(ai["provider"], "builtin")
        self.assertGreaterEqual(ai["captions_generated"], 5)
        self.assertGreater(ai["engine_time_ms"]["p50"], 0)


class WarmUp(unittest.TestCase):
    def test_cache_is_warmed_at_start_and_by_optimize(self):
        fd, path = tempfile.mkstemp(suffix=".jsonl")
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps({"content_description": "Beautiful sunset over the ocean"}) + "\n")
            f.write(json.dumps({"content_description": "Latte art in a cozy cafe", "style": "playful"}) + "\n")
            f.write(json.dumps({"content_description": "no"}) + "\n")  # invalid: too short
        server = Server(env={"CACHE_WARMUP_FILE": path})
        try:
            status, _, doc = server.json("POST", "/api/v14/generate", {"content_description": "Beautiful sunset over the ocean"})
            self.assertEqual(status, 200)
            self.assertTrue(doc["performance_metrics"]["cache_hit"])
            _, _, cache = server.json("GET", "/performance/cache")
            self.assertEqual(cache["warmup"]["cached"], 2)
            self.assertEqual(cache["warmup"]["invalid"], 1)
            status, _, report = server.json("POST", "/performance/optimize")
            self.assertEqual(status, 200)
            self.assertEqual(report["rewarmed"], 2)
            self.assertTrue(any("re-warmed 2 of 3" in a for a in report["actions"]))
        finally:
            server.close()
            os.unlink(path)


class Shutdown(unittest.TestCase):
    def test_sigterm_finishes_in_flight_requests_and_exits_zero(self):
        server = Server()
        try:
            body = json.dumps({"content_description": "A request that is in flight during shutdown"}).encode()
            busy = server.connect()
            idle = server.connect()
            idle.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(Reader(idle).response()[0], 200)
            # Send the header and half the body, then ask the server to stop.
            busy.sendall(b"POST /api/v14/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                         b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (server.key.encode(), len(body))
                         + body[:10])
            time.sleep(0.2)
            server.proc.send_signal(signal.SIGTERM)
            self.assertTrue(closed_by_peer(idle, timeout=5), "idle keep-alive connection should be closed")
            time.sleep(0.2)
            with self.assertRaises(OSError):
                socket.create_connection((server.host, server.port), timeout=2).close()
            busy.sendall(body[10:])
            status, headers, response = Reader(busy).response()
            self.assertEqual(status, 200, response)
            self.assertEqual(headers.get("connection"), "close")
            self.assertTrue(json.loads(response)["caption"])
            self.assertEqual(server.proc.wait(timeout=15), 0)
        finally:
            server.close()

    def test_sigint_on_an_idle_server_exits_zero_quickly(self):
        server = Server()
        try:
            start = time.monotonic()
            self.assertEqual(server.stop(signal.SIGINT), 0)
            self.assertLess(time.monotonic() - start, 5)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
