"""GET /performance/stats|bottlenecks|alerts|recommendations against a real, loaded server."""

import time
import unittest
from datetime import datetime

from harness import Server

SHORT = {"script": "Hello there. This is a quick test of reelgen.", "test": True}
WINDOW_KEYS = {"seconds", "response_times", "throughput", "errors", "cache", "jobs", "render",
               "resource_usage", "ai_performance", "stages"}


def rfc3339(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def poll(server, path, found, timeout=60):
    """GETs path until found(doc) is truthy; returns that doc."""
    deadline = time.monotonic() + timeout
    while True:
        status, _, doc = server.json("GET", path)
        assert status == 200, doc
        if found(doc):
            return doc
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never showed it: {doc}")
        time.sleep(0.2)


class Idle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"ANALYZER_INTERVAL_MS": "100"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_stats_has_every_window_and_figure(self):
        for _ in range(5):
            self.server.request("GET", "/health/live")
        doc = poll(self.server, "/performance/stats",
                   lambda d: d["windows"]["1m"]["throughput"]["requests"] >= 5)
        rfc3339(doc["generated_at"])
        self.assertEqual(set(doc["windows"]), {"1m", "5m", "15m"})
        for name, seconds in (("1m", 60), ("5m", 300), ("15m", 900)):
            w = doc["windows"][name]
            self.assertLessEqual(WINDOW_KEYS, set(w))
            self.assertEqual(w["seconds"], seconds)
            for group in ("response_times", "throughput", "errors", "cache", "jobs", "render",
                          "resource_usage"):
                for field, value in w[group].items():
                    self.assertIsInstance(value, (int, float, str), f"{name}.{group}.{field}")
        w = doc["windows"]["1m"]
        self.assertGreater(w["response_times"]["p99"], 0)
        self.assertGreaterEqual(w["response_times"]["p99"], w["response_times"]["p50"])
        self.assertGreater(w["resource_usage"]["rss_bytes"], 1e6)
        self.assertGreater(w["resource_usage"]["threads"], 2)
        self.assertEqual(w["jobs"]["queue_depth"], 0)

    def test_an_idle_server_has_no_bottleneck_and_no_alert(self):
        status, _, doc = self.server.json("GET", "/performance/bottlenecks")
        self.assertEqual(status, 200)
        self.assertEqual(doc, {"optimization_score": 100, "bottlenecks": []})
        status, _, doc = self.server.json("GET", "/performance/alerts")
        self.assertEqual(doc, {"active": [], "resolved": []})
        status, _, doc = self.server.json("GET", "/performance/recommendations")
        self.assertEqual(doc, {"recommendations": []})

    def test_the_new_metrics_are_exported(self):
        status, _, body = self.server.request("GET", "/metrics")
        text = body.decode()
        for name in ("reelgen_cache_hits_total{tier=\"l1\"}", "reelgen_cache_lookup_seconds_count{tier=\"l1\"}",
                     "reelgen_render_stage_seconds_total{stage=\"encoding\"}", "reelgen_event_loop_lag_seconds{thread=\"0\"}",
                     "reelgen_blocking_pool_queue_depth", "reelgen_blocking_pool_wait_seconds_count",
                     "reelgen_jobs{status=\"queued\"}", "reelgen_job_queue_wait_seconds_count",
                     "reelgen_render_stage_seconds_total{stage=\"speech\"}",
                     "reelgen_webhook_deliveries_total{outcome=\"failed\"}", "process_threads",
                     "reelgen_store_call_seconds_count{backend=\"sqlite\",op=\"jobs.count_with_status\"}",
                     "reelgen_store_errors_total{backend=\"sqlite\",op=\"keys.create_first_admin\"}"):
            self.assertIn(name, text)


class SaturatedRenderQueue(unittest.TestCase):
    """One worker, several drafts at once: jobs wait, the analyzer names the render queue."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"JOB_WORKERS": "1", "ANALYZER_INTERVAL_MS": "100",
                                 "ALERT_RULES": "queue_wait.threshold=0.5,queue_wait.clear=0.25"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_a_full_queue_is_a_bottleneck_and_an_alert(self):
        ids = []
        for i in range(4):
            status, _, doc = self.server.json("POST", "/api/v1/videos", dict(SHORT, script=f"Draft number {i}."))
            self.assertEqual(status, 202, doc)
            ids.append(doc["video_id"])
        doc = poll(self.server, "/performance/bottlenecks",
                   lambda d: any(b["component"] == "render_queue" for b in d["bottlenecks"]))
        b = next(b for b in doc["bottlenecks"] if b["component"] == "render_queue")
        self.assertGreater(b["severity"], 0)
        self.assertLessEqual(b["severity"], 1)
        self.assertLess(doc["optimization_score"], 100)
        self.assertEqual(b["evidence"]["workers"], 1)
        self.assertEqual(b["suggestions"][0]["config"], "JOB_WORKERS")
        self.assertGreater(int(b["suggestions"][0]["value"]), 1)
        # The later drafts waited for the first ones: over half a second at p95.
        doc = poll(self.server, "/performance/alerts",
                   lambda d: any(a["rule"] == "queue_wait" for a in d["active"]), timeout=120)
        alert = next(a for a in doc["active"] if a["rule"] == "queue_wait")
        self.assertEqual(alert["severity"], "warning")
        self.assertEqual(alert["threshold"], 0.5)
        self.assertGreater(alert["value"], 0.5)
        self.assertIsNone(alert["resolved_at"])
        rfc3339(alert["since"])
        status, _, stats = self.server.json("GET", "/performance/stats")
        self.assertGreater(stats["windows"]["1m"]["jobs"]["queue_wait_p95"], 0.5)
        recs = self.server.json("GET", "/performance/recommendations")[2]["recommendations"]
        self.assertIn("JOB_WORKERS", [r["config"] for r in recs])
        # Once renders finish, their speed and where their time went are reported.
        doc = poll(self.server, "/performance/stats",
                   lambda d: d["windows"]["1m"]["render"]["video_seconds"] > 0, timeout=120)
        w = doc["windows"]["1m"]
        self.assertGreater(w["render"]["realtime_factor"], 0)
        for stage in ("render_speech", "render_drawing", "render_encoding"):
            self.assertGreater(w["stages"][stage]["seconds_per_video_second"], 0, stage)


class TinyCache(unittest.TestCase):
    """CACHE_SIZE=4 and many distinct captions: evictions, and a larger cache is recommended."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"CACHE_SIZE": "4", "ANALYZER_INTERVAL_MS": "100"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_evictions_recommend_a_larger_cache(self):
        topics = ["coffee", "hiking", "yoga", "pasta", "sunsets", "puppies", "guitars", "books"]
        for i in range(60):
            body = {"content_description": f"A {topics[i % 8]} morning number {i} at the lake"}
            status, _, doc = self.server.json("POST", "/api/v14/generate", body)
            self.assertEqual(status, 200, doc)
        doc = poll(self.server, "/performance/recommendations",
                   lambda d: any(r["config"] == "CACHE_SIZE" for r in d["recommendations"]))
        rec = next(r for r in doc["recommendations"] if r["config"] == "CACHE_SIZE")
        self.assertEqual(rec["component"], "cache")
        self.assertGreater(int(rec["value"]), 4)
        self.assertTrue(rec["action"].startswith("set CACHE_SIZE="), rec)
        self.assertTrue(rec["expected_effect"])
        stats = self.server.json("GET", "/performance/stats")[2]["windows"]["5m"]["cache"]
        self.assertGreater(stats["evictions"], 0)
        self.assertLess(stats["hit_rate"], 0.5)


if __name__ == "__main__":
    unittest.main()
