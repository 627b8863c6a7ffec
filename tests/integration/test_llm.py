"""The model provider against our own OpenAI-compatible test server (fake_llm.py) on loopback:
request bodies per dialect, validation and repair, fallback, breaker, 429, timeouts, the
concurrency bound, cache keys, and /health/live while the model hangs."""

import json
import os
import subprocess
import threading
import time
import unittest

from fake_llm import FakeLlm
from harness import BIN, Server

DESC = "Fresh sourdough loaves at our bakery on Main Street, $5 each"


class LlmCase(unittest.TestCase):
    env = {}
    dialect = "openai"
    base_path = "/v1"
    tls = False

    @classmethod
    def setUpClass(cls):
        cls.llm = FakeLlm(tls=cls.tls)
        env = {"CAPTION_PROVIDER": "llm",
               "LLM_BASE_URL": f"{cls.llm.scheme}://127.0.0.1:{cls.llm.port}{cls.base_path}",
               "LLM_MODEL": "test-model", "LLM_DIALECT": cls.dialect, "LLM_TIMEOUT_MS": "2000",
               "LLM_API_KEY": "sk-test-secret"}
        if cls.tls:
            env["LLM_CA_FILE"] = cls.llm.cert_file
        env.update(cls.env)
        cls.server = Server(env=env)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.llm.close()

    def setUp(self):
        self.llm.reset()

    def generate(self, **fields):
        body = {"content_description": DESC, "seed": 7}
        body.update(fields)
        status, _, doc = self.server.json("POST", "/api/v14/generate", body)
        self.assertEqual(status, 200, doc)
        return doc


class OpenAi(LlmCase):
    def test_request_body_and_answer(self):
        doc = self.generate(variants=2, hashtag_count=10, keywords=["crusty"])
        self.assertEqual(doc["performance_metrics"]["provider"], "llm:test-model")
        self.assertFalse(doc["performance_metrics"]["fallback"])
        self.assertIn("$5", doc["caption"])
        self.assertIn("crusty", doc["caption"])
        self.assertEqual(len(doc["variants"]), 1)
        # Normalised, deduplicated, banned filler (#instagood) removed.
        self.assertEqual(doc["hashtags"], ["#bakery", "#freshbread", "#sourdough"])
        [req] = self.llm.requests
        self.assertEqual(req["path"], "/v1/chat/completions")
        self.assertEqual(req["authorization"], "Bearer sk-test-secret")
        body = req["body"]
        self.assertEqual(body["model"], "test-model")
        self.assertEqual(body["n"], 2)
        self.assertEqual(body["seed"], 7)
        self.assertAlmostEqual(body["temperature"], 0.7)
        self.assertEqual(body["response_format"]["type"], "json_schema")
        self.assertEqual(body["response_format"]["json_schema"]["schema"]["required"], ["caption", "hashtags"])
        user = body["messages"][1]["content"]
        self.assertIn(DESC, user)
        self.assertIn('"$5"', user)  # the fact the caption must keep
        self.assertIn('"crusty"', user)

    def test_info_shows_the_model_without_the_key(self):
        status, _, info = self.server.json("GET", "/api/v14/info")
        self.assertEqual(info["providers"], ["builtin", "llm"])
        self.assertEqual(info["default_provider"], "llm")
        self.assertEqual(info["llm"]["llm_model"], "test-model")
        self.assertNotIn("sk-test-secret", json.dumps(info))

    def test_missing_fact_is_repaired_with_the_findings(self):
        self.llm.script(["missing_fact", "good"])
        doc = self.generate(seed=11)
        self.assertFalse(doc["performance_metrics"]["fallback"])
        self.assertEqual(doc["performance_metrics"]["provider"], "llm:test-model")
        bodies = self.llm.bodies()
        self.assertEqual(len(bodies), 2)
        retry = bodies[1]["messages"][1]["content"]
        self.assertIn("previous answer was refused", retry)
        self.assertIn('the fact "$5" is missing', retry)

    def test_identical_misses_share_one_model_call(self):
        self.llm.delay = 0.3
        docs = []
        try:
            threads = [threading.Thread(target=lambda: docs.append(self.generate(seed=16))) for _ in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            self.llm.delay = 0.0
        self.assertEqual(len(docs), 3)
        self.assertEqual(len(self.llm.requests), 1)
        self.assertEqual({d["caption"] for d in docs}, {docs[0]["caption"]})

    def test_performance_ai_counts_calls_tokens_and_repairs(self):
        self.llm.script(["missing_fact", "good"])
        self.generate(seed=17)
        status, _, ai = self.server.json("GET", "/performance/ai")
        self.assertEqual(status, 200)
        llm = ai["llm"]
        self.assertGreaterEqual(llm["calls"], 2)
        self.assertGreaterEqual(llm["repairs"], 1)
        self.assertGreaterEqual(llm["invalid_answers"], 1)
        self.assertGreaterEqual(llm["tokens_in"], 240)
        self.assertGreaterEqual(llm["tokens_out"], 80)
        self.assertEqual(llm["breaker_state"], "closed")
        status, _, text = self.server.request("GET", "/metrics")
        self.assertIn(b'reelgen_llm_tokens_total{direction="in"}', text)
        self.assertIn(b"reelgen_llm_call_seconds_bucket", text)

    def test_wrong_language_twice_falls_back_to_the_builtin(self):
        self.llm.script(["wrong_language", "wrong_language"])
        doc = self.generate(seed=12)
        self.assertTrue(doc["performance_metrics"]["fallback"])
        self.assertEqual(doc["performance_metrics"]["provider"], "builtin")
        self.assertIn("must be in en, not es", self.llm.bodies()[1]["messages"][1]["content"])

    def test_invalid_json_twice_falls_back(self):
        self.llm.script(["invalid_json", "invalid_json"])
        doc = self.generate(seed=13)
        self.assertTrue(doc["performance_metrics"]["fallback"])
        self.assertEqual(len(self.llm.requests), 2)

    def test_server_error_falls_back_without_a_retry(self):
        self.llm.script(["status500"])
        doc = self.generate(seed=14)
        self.assertTrue(doc["performance_metrics"]["fallback"])
        self.assertEqual(len(self.llm.requests), 1)

    def test_cache_key_includes_the_provider(self):
        first = self.generate(seed=15)
        again = self.generate(seed=15)
        self.assertFalse(first["performance_metrics"]["cache_hit"])
        self.assertTrue(again["performance_metrics"]["cache_hit"])
        self.assertEqual(again["performance_metrics"]["provider"], "llm:test-model")
        builtin = self.generate(seed=15, provider="builtin")
        self.assertFalse(builtin["performance_metrics"]["cache_hit"])
        self.assertEqual(builtin["performance_metrics"]["provider"], "builtin")
        self.assertEqual(len(self.llm.requests), 1)

    def test_cli_caption_with_the_model(self):
        env = dict(os.environ, LLM_BASE_URL=self.llm.base_url, LLM_MODEL="test-model")
        result = subprocess.run([BIN, "caption", DESC, "--provider", "llm", "--json"],
                                capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout)
        self.assertIn("$5", doc["caption"])
        self.assertEqual(len(self.llm.requests), 1)
        # Without a model configured the CLI refuses, naming the field.
        env = {k: v for k, v in os.environ.items() if not k.startswith("LLM_")}
        result = subprocess.run([BIN, "caption", DESC, "--provider", "llm"],
                                capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("provider", result.stderr)


class Tls(LlmCase):
    tls = True

    def test_https_with_the_certificate_verified(self):
        doc = self.generate(seed=25)
        self.assertFalse(doc["performance_metrics"]["fallback"])
        self.assertEqual(len(self.llm.requests), 1)
        self.generate(seed=26)  # over the kept-alive connection
        self.assertEqual(len(self.llm.requests), 2)

    def test_an_untrusted_certificate_is_refused(self):
        # The system trust store does not know the test's self-signed certificate.
        env = {k: v for k, v in os.environ.items() if not k.startswith("LLM_")}
        env.update(LLM_BASE_URL=self.llm.base_url, LLM_MODEL="test-model")
        result = subprocess.run([BIN, "caption", DESC, "--provider", "llm", "--json"],
                                capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("the model failed", result.stderr)
        self.assertEqual(len(self.llm.requests), 0)


class Streaming(LlmCase):
    env = {"LLM_STREAM": "true"}

    def test_events_split_across_reads_are_joined(self):
        doc = self.generate(variants=2, seed=21)
        self.assertFalse(doc["performance_metrics"]["fallback"])
        self.assertIn("$5", doc["caption"])
        self.assertIn("Variant 2", doc["variants"][0]["caption"])
        self.assertTrue(self.llm.bodies()[0]["stream"])

    def test_truncated_stream_falls_back(self):
        self.llm.script(["truncated"])
        doc = self.generate(seed=22)
        self.assertTrue(doc["performance_metrics"]["fallback"])


class Vllm(LlmCase):
    dialect = "vllm"

    def test_structured_outputs_and_guided_json(self):
        self.generate(seed=31)
        body = self.llm.bodies()[0]
        self.assertEqual(body["structured_outputs"]["json"]["required"], ["caption", "hashtags"])
        self.assertEqual(body["guided_json"]["required"], ["caption", "hashtags"])
        self.assertNotIn("response_format", body)


class LlamaCpp(LlmCase):
    dialect = "llamacpp"

    def test_variants_are_several_calls(self):
        doc = self.generate(variants=2, seed=41)
        self.assertFalse(doc["performance_metrics"]["fallback"])
        bodies = self.llm.bodies()
        self.assertEqual(len(bodies), 2)
        self.assertNotIn("n", bodies[0])
        self.assertEqual([b["seed"] for b in bodies], [41, 42])
        self.assertEqual(bodies[0]["response_format"]["type"], "json_schema")


class Ollama(LlmCase):
    dialect = "ollama"
    base_path = ""

    def test_native_chat_with_format(self):
        doc = self.generate(seed=51)
        self.assertFalse(doc["performance_metrics"]["fallback"])
        [req] = self.llm.requests
        self.assertEqual(req["path"], "/api/chat")
        self.assertEqual(req["body"]["format"]["required"], ["caption", "hashtags"])
        self.assertEqual(req["body"]["options"]["seed"], 51)
        self.assertFalse(req["body"]["stream"])


class Breaker(LlmCase):
    env = {"LLM_BREAKER_FAILURES": "2", "LLM_BREAKER_COOLDOWN_MS": "600000"}

    def test_opens_after_consecutive_failures(self):
        self.llm.reset(default="status500")
        for seed in (61, 62, 63, 64):
            doc = self.generate(seed=seed)
            self.assertTrue(doc["performance_metrics"]["fallback"])
        # Two failures open it; the next calls never reach the server.
        self.assertEqual(len(self.llm.requests), 2)
        status, _, text = self.server.request("GET", "/metrics")
        self.assertIn(b"reelgen_llm_breaker_state 1", text)


class RetryAfter(LlmCase):
    def test_429_holds_calls_for_retry_after(self):
        self.llm.script(["status429"])
        first = self.generate(seed=71)
        second = self.generate(seed=72)
        self.assertTrue(first["performance_metrics"]["fallback"])
        self.assertTrue(second["performance_metrics"]["fallback"])
        self.assertEqual(len(self.llm.requests), 1)


class Hanging(LlmCase):
    env = {"LLM_TIMEOUT_MS": "400"}

    def test_a_hanging_model_times_out_and_never_delays_health(self):
        self.llm.reset(default="hang")
        results = {}

        def call():
            results["doc"] = self.generate(seed=81)

        t = threading.Thread(target=call)
        start = time.monotonic()
        t.start()
        time.sleep(0.1)
        worst = 0.0
        for _ in range(10):
            s = time.monotonic()
            status, _, _ = self.server.request("GET", "/health/live")
            worst = max(worst, time.monotonic() - s)
            self.assertEqual(status, 200)
        t.join()
        self.assertLess(worst, 0.2)
        self.assertTrue(results["doc"]["performance_metrics"]["fallback"])
        self.assertLess(time.monotonic() - start, 3.0)
        status, _, text = self.server.request("GET", "/metrics")
        self.assertRegex(text.decode(), r"reelgen_llm_timeouts_total [1-9]")


class CacheHitsStayOnIoThreads(LlmCase):
    env = {"BLOCKING_THREADS": "1", "LLM_TIMEOUT_MS": "1500"}

    def test_a_cached_caption_does_not_wait_for_the_busy_blocking_pool(self):
        first = self.generate(seed=201)
        self.assertFalse(first["performance_metrics"]["fallback"])
        self.llm.reset(default="hang")
        slow = threading.Thread(target=lambda: self.generate(seed=202))  # holds the one thread
        slow.start()
        time.sleep(0.2)
        start = time.monotonic()
        again = self.generate(seed=201)
        took = time.monotonic() - start
        slow.join()
        self.assertTrue(again["performance_metrics"]["cache_hit"])
        self.assertEqual(again["caption"], first["caption"])
        self.assertLess(took, 0.5)


class Concurrency(LlmCase):
    env = {"LLM_MAX_CONCURRENCY": "2", "LLM_QUEUE": "64"}

    def test_batch_items_run_concurrently_within_the_limit(self):
        self.llm.delay = 0.2
        try:
            items = [{"content_description": f"{DESC} batch item {i}", "seed": 90 + i} for i in range(6)]
            start = time.monotonic()
            status, _, doc = self.server.json("POST", "/api/v14/batch", {"requests": items})
            elapsed = time.monotonic() - start
        finally:
            self.llm.delay = 0.0
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["successful_requests"], 6)
        self.assertEqual(self.llm.max_in_flight, 2)
        # Six calls of 0.2 s two at a time: about 0.6 s, not 1.2 s.
        self.assertLess(elapsed, 1.1)
        for r in doc["results"]:
            self.assertFalse(r["result"]["performance_metrics"]["fallback"])


class FullQueue(LlmCase):
    env = {"LLM_MAX_CONCURRENCY": "1", "LLM_QUEUE": "0"}

    def test_a_full_queue_falls_back_at_once(self):
        self.llm.delay = 0.3
        try:
            items = [{"content_description": f"{DESC} queue item {i}", "seed": 100 + i} for i in range(4)]
            status, _, doc = self.server.json("POST", "/api/v14/batch", {"requests": items})
        finally:
            self.llm.delay = 0.0
        self.assertEqual(status, 200, doc)
        fallbacks = sum(r["result"]["performance_metrics"]["fallback"] for r in doc["results"])
        self.assertGreaterEqual(fallbacks, 1)
        self.assertLess(len(self.llm.requests), 4)


if __name__ == "__main__":
    unittest.main()
