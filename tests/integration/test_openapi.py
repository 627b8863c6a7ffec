"""GET /openapi.json, /docs and /redoc, and the checker that holds every response of the
integration tests to the document."""

import json
import os
import unittest

from harness import ServerTestCase
from openapi_check import DOC, DOC_PATH, ContractError, check_response

PROBLEM = {"content-type": "application/problem+json", "x-request-id": "r1"}
JSON = {"content-type": "application/json", "x-request-id": "r1"}


def body(doc):
    return json.dumps(doc).encode()


class Checker(unittest.TestCase):
    """The checker is strict: each of these answers breaks the document in one way."""

    live = {"status": "alive"}
    ready = {"status": "ready"}

    def test_a_good_answer_passes(self):
        check_response("GET", "/health/live", 200, JSON, body(self.live))
        check_response("GET", "/api/v1/videos/vid_1/file", 206,
                       {"content-type": "video/mp4", "x-request-id": "r"}, b"\0\0")

    def test_an_undocumented_status_fails(self):
        with self.assertRaisesRegex(ContractError, "status 418 is not documented"):
            check_response("GET", "/health/live", 418, JSON, body(self.live))

    def test_a_wrong_content_type_fails(self):
        with self.assertRaisesRegex(ContractError, "content type"):
            check_response("GET", "/health/live", 200, {"content-type": "text/html", "x-request-id": "r"}, b"<p>")

    def test_a_missing_request_id_fails(self):
        with self.assertRaisesRegex(ContractError, "X-Request-Id"):
            check_response("GET", "/health/live", 200, {"content-type": "application/json"}, body(self.live))

    def test_a_missing_required_field_fails(self):
        with self.assertRaisesRegex(ContractError, "required property 'optimization_score'"):
            check_response("GET", "/performance/bottlenecks", 200, JSON, body({"bottlenecks": []}))

    def test_a_wrong_type_or_value_fails(self):
        with self.assertRaisesRegex(ContractError, r"severity: 'page' is not one of"):
            alert = {"rule": "queue_wait", "severity": "page", "since": "2026-01-01T00:00:00Z",
                     "resolved_at": None, "value": 1, "threshold": 1, "message": "m"}
            check_response("GET", "/performance/alerts", 200, JSON, body({"active": [alert], "resolved": []}))
        with self.assertRaisesRegex(ContractError, "is not of type"):
            check_response("GET", "/performance/bottlenecks", 200, JSON,
                           body({"optimization_score": "high", "bottlenecks": []}))
        with self.assertRaisesRegex(ContractError, "maximum"):
            check_response("GET", "/performance/bottlenecks", 200, JSON,
                           body({"optimization_score": 101, "bottlenecks": []}))

    def test_a_problem_must_be_a_problem(self):
        with self.assertRaisesRegex(ContractError, "required property 'instance'"):
            check_response("GET", "/api/v1/videos/x", 404, PROBLEM,
                           body({"type": "urn:reelgen:problem:not_found", "title": "Not Found",
                                 "status": 404, "detail": "no"}))
        with self.assertRaisesRegex(ContractError, "without problem"):
            check_response("GET", "/nowhere", 404, JSON, b"{}")


class Served(ServerTestCase):
    def test_openapi_json_is_the_document(self):
        status, headers, data = self.server.request("GET", "/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        with open(DOC_PATH, "rb") as f:
            self.assertEqual(data, f.read())
        self.assertEqual(json.loads(data)["openapi"], "3.1.0")

    def test_docs_and_redoc_render_it_with_a_policy_for_the_viewer(self):
        for path in ("/docs", "/redoc"):
            status, headers, data = self.server.request("GET", path)
            self.assertEqual(status, 200)
            self.assertTrue(headers["content-type"].startswith("text/html"))
            self.assertIn(b'spec-url="/openapi.json"', data)
            policy = headers["content-security-policy"]
            for part in ("script-src 'self'", "worker-src blob:", "default-src 'none'", "connect-src 'self'"):
                self.assertIn(part, policy)
        status, headers, data = self.server.request("GET", "/docs/redoc.standalone.js")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/javascript"))
        committed = os.path.join(os.path.dirname(__file__), "../../src/api/assets/redoc.standalone.js")
        with open(committed, "rb") as f:
            self.assertEqual(data, f.read())
        self.assertGreater(len(data), 100_000)

    def test_every_schema_and_response_reference_resolves(self):
        text = json.dumps(DOC)
        for ref in set(part.split('"')[0] for part in text.split('"$ref": "')[1:]):
            node = DOC
            for name in ref.lstrip("#/").split("/"):
                node = node[name.replace("~1", "/")]
            self.assertIsInstance(node, dict, ref)


if __name__ == "__main__":
    unittest.main()
