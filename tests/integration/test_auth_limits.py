"""API keys and rate limits over real HTTP, with keys managed by the real CLI."""

import json
import time
import unittest

from harness import ServerTestCase

BODY = {"content_description": "Fresh strawberries at the farmers market"}


class Keys(ServerTestCase):
    def test_missing_key_is_401_with_www_authenticate(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", body=BODY)
        self.assertProblem(status, headers, body, 401)
        self.assertEqual(headers["www-authenticate"], "Bearer")

    def test_unknown_key_is_401(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", body=BODY, key="rg_notakey")
        self.assertProblem(status, headers, body, 401)

    def test_x_api_key_header_works(self):
        status, _, _ = self.server.request("POST", "/api/v14/generate", body=BODY,
                                           headers={"X-API-Key": self.server.key})
        self.assertEqual(status, 200)

    def test_keys_create_prints_the_key_last_and_list_never_shows_it(self):
        result = self.server.cli("keys", "create", "--name", "mobile app", "--scope", "user")
        self.assertEqual(result.returncode, 0, result.stderr)
        key = result.stdout.strip().splitlines()[-1]
        self.assertRegex(key, r"^rg_[A-Za-z0-9]{40}$")
        self.assertEqual(self.server.request("POST", "/api/v14/generate", body=BODY, key=key)[0], 200)
        listing = self.server.cli("keys", "list")
        self.assertEqual(listing.returncode, 0)
        self.assertIn("mobile app", listing.stdout)
        self.assertNotIn(key, listing.stdout)

    def test_revoked_key_is_refused(self):
        created = self.server.cli("keys", "create", "--name", "temp")
        key = created.stdout.strip().splitlines()[-1]
        key_id = created.stdout.split()[2]
        self.assertEqual(self.server.request("POST", "/api/v14/generate", body=BODY, key=key)[0], 200)
        revoked = self.server.cli("keys", "revoke", key_id)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        # Key lookups are cached for one second.
        deadline = time.monotonic() + 5
        status = 200
        while time.monotonic() < deadline and status == 200:
            status, headers, body = self.server.request("POST", "/api/v14/generate", body=BODY, key=key)
            time.sleep(0.1)
        doc = self.assertProblem(status, headers, body, 401)
        self.assertIn("revoked", doc["detail"])

    def test_revoking_an_unknown_id_fails_clearly(self):
        result = self.server.cli("keys", "revoke", "key_doesnotexist")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("key_doesnotexist", result.stderr)

    def test_optimize_needs_an_admin_key(self):
        created = self.server.cli("keys", "create", "--name", "user key", "--scope", "user")
        user_key = created.stdout.strip().splitlines()[-1]
        status, headers, body = self.server.request("POST", "/performance/optimize", key=user_key)
        self.assertProblem(status, headers, body, 403)
        status, _, doc = self.server.json("POST", "/performance/optimize")
        self.assertEqual(status, 200)
        self.assertIn("actions", doc)

    def test_health_and_metrics_are_open(self):
        for path in ("/health", "/health/live", "/health/ready", "/metrics", "/performance/status"):
            self.assertEqual(self.server.request("GET", path)[0], 200, path)


class ClosedOperations(ServerTestCase):
    env = {"OPEN_HEALTH": "false", "OPEN_METRICS": "false"}

    def test_operations_endpoints_can_require_a_key(self):
        for path in ("/health", "/metrics", "/performance/status"):
            status, headers, body = self.server.request("GET", path)
            self.assertProblem(status, headers, body, 401)
            self.assertEqual(self.server.request("GET", path, key=self.server.key)[0], 200)


class RateLimits(ServerTestCase):
    env = {"RATE_LIMIT_PER_MINUTE": "60", "RATE_LIMIT_BURST": "5"}

    def test_burst_then_429_with_retry_after_and_ratelimit_headers(self):
        created = self.server.cli("keys", "create", "--name", "limited")
        key = created.stdout.strip().splitlines()[-1]
        remaining = []
        for _ in range(5):
            status, headers, _ = self.server.request("GET", "/api/v14/info", key=key)
            self.assertEqual(status, 200)
            self.assertEqual(headers["ratelimit-limit"], "5")
            remaining.append(int(headers["ratelimit-remaining"]))
        self.assertEqual(remaining, [4, 3, 2, 1, 0])
        status, headers, body = self.server.request("GET", "/api/v14/info", key=key)
        self.assertProblem(status, headers, body, 429)
        self.assertGreaterEqual(int(headers["retry-after"]), 1)
        self.assertIn("ratelimit-reset", headers)

    def test_a_batch_counts_as_its_items(self):
        created = self.server.cli("keys", "create", "--name", "batcher")
        key = created.stdout.strip().splitlines()[-1]
        batch = {"requests": [{"content_description": "hello there friends"}] * 6}
        status, headers, body = self.server.request("POST", "/api/v14/batch", body=batch, key=key)
        self.assertProblem(status, headers, body, 429)
        batch = {"requests": [{"content_description": "hello there friends"}] * 3}
        self.assertEqual(self.server.request("POST", "/api/v14/batch", body=batch, key=key)[0], 200)

    def test_a_key_with_its_own_limit(self):
        created = self.server.cli("keys", "create", "--name", "unlimited", "--rate-limit", "0")
        key = created.stdout.strip().splitlines()[-1]
        for _ in range(20):
            self.assertEqual(self.server.request("GET", "/api/v14/info", key=key)[0], 200)


    def test_a_fast_keys_bucket_holds_a_second_of_its_rate(self):
        # Issue 10, row 18: a key of 1,000,000,000 a minute got the default bucket (here 5) and so
        # 429s under concurrent load.
        created = self.server.cli("keys", "create", "--name", "fast", "--rate-limit", "1000000000")
        key = created.stdout.strip().splitlines()[-1]
        status, headers, _ = self.server.request("GET", "/api/v14/info", key=key)
        self.assertEqual(status, 200)
        self.assertGreaterEqual(int(headers["ratelimit-limit"]), 1_000_000_000 // 60)
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda _: self.server.request("GET", "/api/v14/info", key=key)[0], range(64)))
        self.assertEqual(set(statuses), {200})


if __name__ == "__main__":
    unittest.main()
