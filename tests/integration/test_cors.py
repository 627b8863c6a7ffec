"""CORS_ORIGINS: preflights and cross-origin answers from a real server."""

import unittest

from harness import Server

STUDIO = "https://studio.example.com"


def preflight(server, path, method, origin=STUDIO):
    return server.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type"})


class ListedOrigin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"CORS_ORIGINS": STUDIO + ",https://other.example"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_preflight_for_a_key_route(self):
        status, headers, body = preflight(self.server, "/api/v14/generate", "POST")
        self.assertEqual(status, 204)
        self.assertEqual(body, b"")
        self.assertEqual(headers["access-control-allow-origin"], STUDIO)
        self.assertEqual(headers["access-control-allow-methods"], "POST")
        allowed = headers["access-control-allow-headers"].lower()
        for name in ("authorization", "content-type", "x-api-key"):
            self.assertIn(name, allowed)
        self.assertEqual(headers["access-control-max-age"], "600")
        self.assertIn("Origin", [v.strip() for v in headers["vary"].split(",")])
        self.assertNotIn("access-control-allow-credentials", headers)

    def test_the_answer_names_the_origin_and_exposes_the_ids(self):
        status, headers, _ = self.server.request(
            "POST", "/api/v14/generate", body={"content_description": "Sunrise over the harbour"},
            headers={"Origin": STUDIO}, key=self.server.key)
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], STUDIO)
        self.assertIn("X-Request-Id", headers["access-control-expose-headers"])
        self.assertIn("Origin", [v.strip() for v in headers["vary"].split(",")])

    def test_an_unlisted_origin_gets_no_grant(self):
        status, headers, _ = preflight(self.server, "/api/v1/videos", "POST", origin="https://evil.example")
        self.assertEqual(status, 204)
        self.assertNotIn("access-control-allow-origin", headers)
        status, headers, _ = self.server.request("GET", "/health", headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)

    def test_a_method_the_path_lacks_is_not_granted(self):
        status, headers, _ = preflight(self.server, "/api/v14/generate", "DELETE")
        self.assertEqual(status, 204)
        self.assertEqual(headers["allow"], "POST, OPTIONS")
        self.assertNotIn("access-control-allow-origin", headers)

    def test_unknown_paths_are_still_404(self):
        status, headers, _ = preflight(self.server, "/nowhere", "GET")
        self.assertEqual(status, 404)


class AnyOrigin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"CORS_ORIGINS": "*"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_star_opens_only_the_open_routes(self):
        status, headers, _ = self.server.request("GET", "/health", headers={"Origin": STUDIO})
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertNotIn("access-control-allow-credentials", headers)
        status, headers, _ = preflight(self.server, "/openapi.json", "GET")
        self.assertEqual(headers["access-control-allow-origin"], "*")
        status, headers, _ = preflight(self.server, "/api/v1/videos", "POST")
        self.assertNotIn("access-control-allow-origin", headers)
        status, headers, _ = self.server.request("GET", "/api/v14/info", headers={"Origin": STUDIO}, key=self.server.key)
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)


class NoOrigins(unittest.TestCase):
    def test_by_default_no_origin_is_allowed(self):
        server = Server()
        try:
            status, headers, _ = preflight(server, "/health", "GET")
            self.assertEqual(status, 204)
            self.assertEqual(headers["allow"], "GET, HEAD, OPTIONS")
            self.assertNotIn("access-control-allow-origin", headers)
            self.assertNotIn("vary", headers)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
