"""The HTTP server: keep-alive, pipelining, HEAD, 404/405, limits, timeouts, request ids."""

import json
import os
import re
import socket
import time
import unittest

from harness import Reader, Server, ServerTestCase, closed_by_peer

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


class HttpBehaviour(ServerTestCase):
    env = {"HEADER_TIMEOUT_MS": "600", "BODY_TIMEOUT_MS": "600", "IDLE_TIMEOUT_MS": "800", "LOG_LEVEL": "info"}

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        with self.server.connect() as sock:
            reader = Reader(sock)
            for _ in range(5):
                sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                status, headers, body = reader.response()
                self.assertEqual(status, 200)
                self.assertEqual(json.loads(body), {"status": "alive"})
                self.assertNotEqual(headers.get("connection"), "close")

    def test_pipelined_requests_are_answered_in_order(self):
        with self.server.connect() as sock:
            ids = ["first", "second", "third"]
            sock.sendall(b"".join(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: %s\r\n\r\n" % i.encode() for i in ids))
            reader = Reader(sock)
            got = [reader.response()[1]["x-request-id"] for _ in ids]
            self.assertEqual(got, ids)

    def test_connection_close_is_honoured(self):
        with self.server.connect() as sock:
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            status, headers, _ = Reader(sock).response()
            self.assertEqual(status, 200)
            self.assertEqual(headers.get("connection"), "close")
            self.assertTrue(closed_by_peer(sock))

    def test_head_has_length_but_no_body(self):
        status, get_headers, get_body = self.server.request("GET", "/api/v14/info", key=self.server.key)
        self.assertEqual(status, 200)
        with self.server.connect() as sock:
            sock.sendall(b"HEAD /api/v14/info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % self.server.key.encode())
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            reader = Reader(sock)
            # Read the HEAD header block only, then the next response must follow immediately.
            while b"\r\n\r\n" not in reader.buf:
                reader._fill()
            head, reader.buf = reader.buf.split(b"\r\n\r\n", 1)
            self.assertIn(b"200 OK", head.split(b"\r\n")[0])
            self.assertIn(b"Content-Length: %d" % len(get_body), head)
            status, _, body = reader.response()
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["status"], "alive")

    def test_unknown_route_is_404_problem(self):
        status, headers, body = self.server.request("GET", "/nope")
        doc = self.assertProblem(status, headers, body, 404)
        self.assertIn("/nope", doc["detail"])

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.server.request("DELETE", "/api/v14/generate", key=self.server.key)
        self.assertProblem(status, headers, body, 405)
        self.assertEqual(headers["allow"], "POST")
        status, headers, body = self.server.request("POST", "/health")
        self.assertProblem(status, headers, body, 405)
        self.assertEqual(headers["allow"], "GET, HEAD")

    def test_oversize_header_block_is_431(self):
        with self.server.connect() as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17000 + b"\r\n\r\n")
            status, headers, body = Reader(sock).response()
            self.assertProblem(status, headers, body, 431)
            self.assertTrue(closed_by_peer(sock))

    def test_oversize_body_is_413_before_it_is_read(self):
        with self.server.connect() as sock:
            sock.sendall(b"POST /api/v14/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 2000000\r\n\r\n")
            status, headers, body = Reader(sock).response()
            self.assertProblem(status, headers, body, 413)

    def test_oversize_chunked_body_is_413(self):
        with self.server.connect() as sock:
            sock.sendall(b"POST /api/v14/generate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
            try:
                for _ in range(20):
                    sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            status, headers, body = Reader(sock).response()
            self.assertProblem(status, headers, body, 413)

    def test_unknown_transfer_codings_are_refused_not_smuggled(self):
        # Issue 10, row 2: the coding was ignored and the body ran as the next request.
        smuggled = b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: smuggled-%d\r\n\r\n"
        for i, (coding, expected) in enumerate(((b"gzip", 501), (b"identity", 501), (b"xchunked", 501),
                                                (b"chunked, chunked", 400), (b"gzip, chunked", 501))):
            with self.subTest(coding=coding), self.server.connect() as sock:
                sock.sendall(b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + b"\r\n\r\n"
                             + smuggled % i)
                reader = Reader(sock)
                status, headers, body = reader.response()
                self.assertProblem(status, headers, body, expected)
                self.assertEqual(headers.get("connection"), "close")
                self.assertTrue(closed_by_peer(sock))
                self.assertNotIn(b"HTTP/1.1", reader.buf)  # no second response
        time.sleep(0.2)
        self.assertFalse([l for l in self.server.output if "smuggled-" in l])

    def test_a_client_that_writes_the_whole_body_first_still_reads_the_413(self):
        # Issue 10, row 5: http.client sends all of the body before reading; it got EPIPE.
        import http.client
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("POST", "/api/v14/generate", body=b"x" * 3_000_000,
                         headers={"Content-Type": "application/json"})
            res = conn.getresponse()
            body = res.read()
            self.assertProblem(res.status, {k.lower(): v for k, v in res.getheaders()}, body, 413)
        finally:
            conn.close()

    def test_a_413_names_the_limit_of_its_route_and_is_logged(self):
        # Issue 10, row 14: an upload over its 20 MiB limit was told about the 1 MiB API limit.
        with self.server.connect() as sock:
            sock.sendall(b"POST /api/v1/uploads?probe=upload-413 HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Length: 22000000\r\n\r\n")
            status, headers, body = Reader(sock).response()
            doc = self.assertProblem(status, headers, body, 413)
            self.assertIn("20971520", doc["detail"])
        deadline = time.monotonic() + 5
        lines = []
        while not lines and time.monotonic() < deadline:
            lines = [json.loads(l) for l in list(self.server.output) if doc["instance"] in l]
            time.sleep(0.05)
        self.assertEqual(len(lines), 1)
        self.assertEqual((lines[0]["status"], lines[0]["path"], lines[0]["method"]), (413, "/api/v1/uploads", "POST"))

    def test_header_and_body_timeouts_answer_408(self):
        # Issue 10, row 14: both closed the connection without a word.
        for request in (b"GET /health HTTP/1.1\r\nHost: x\r\n",
                        b"POST /api/v14/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"):
            with self.subTest(request=request), self.server.connect() as sock:
                sock.sendall(request)
                status, headers, body = Reader(sock).response()
                self.assertProblem(status, headers, body, 408)
                self.assertTrue(closed_by_peer(sock))

    def test_malformed_request_line_is_400(self):
        with self.server.connect() as sock:
            sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            status, headers, body = Reader(sock).response()
            self.assertProblem(status, headers, body, 400)

    def test_slow_header_is_cut_off(self):
        with self.server.connect() as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finishes the header block
            self.assertTrue(closed_by_peer(sock, timeout=5))

    def test_slow_body_is_cut_off(self):
        with self.server.connect() as sock:
            sock.sendall(b"POST /api/v14/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            self.assertTrue(closed_by_peer(sock, timeout=5))

    def test_silent_connection_is_closed(self):
        with self.server.connect() as sock:
            self.assertTrue(closed_by_peer(sock, timeout=5))

    def test_idle_keep_alive_connection_is_closed(self):
        with self.server.connect() as sock:
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(Reader(sock).response()[0], 200)
            start = time.monotonic()
            self.assertTrue(closed_by_peer(sock, timeout=5))
            self.assertGreater(time.monotonic() - start, 0.5)

    def test_request_id_is_echoed_or_generated(self):
        _, headers, _ = self.server.request("GET", "/health", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(headers["x-request-id"], "abc-123")
        _, headers, _ = self.server.request("GET", "/health", headers={"X-Request-Id": "bad id with spaces"})
        self.assertRegex(headers["x-request-id"], r"^[0-9a-f]{16}$")
        _, h1, _ = self.server.request("GET", "/health")
        _, h2, _ = self.server.request("GET", "/health")
        self.assertNotEqual(h1["x-request-id"], h2["x-request-id"])

    def test_access_log_has_one_json_line_per_request(self):
        self.server.request("GET", "/health/live", headers={"X-Request-Id": "log-probe-1"})
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            lines = [l for l in list(self.server.output) if "log-probe-1" in l]
            if lines:
                break
            time.sleep(0.05)
        self.assertEqual(len(lines), 1)
        entry = json.loads(lines[0])
        self.assertEqual(entry["method"], "GET")
        self.assertEqual(entry["path"], "/health/live")
        self.assertEqual(entry["status"], 200)
        for field in ("bytes", "duration_ms", "key_id", "ts"):
            self.assertIn(field, entry)
        # Issue 10, row 11: durations were logged as 2.88401E-1.
        self.assertRegex(lines[0], r'"duration_ms":[0-9]+(\.[0-9]+)?[,}]')


class ConnectionLimit(ServerTestCase):
    env = {"MAX_CONNECTIONS": "2"}

    def open_served(self):
        """A connection that got a 200: the server may still be closing the readiness probe's."""
        deadline = time.monotonic() + 5
        while True:
            sock = self.server.connect()
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            if Reader(sock).response()[0] == 200:
                return sock
            sock.close()
            self.assertLess(time.monotonic(), deadline, "a connection under the limit got 503")
            time.sleep(0.05)

    def test_connections_past_the_limit_get_503(self):
        a = self.open_served()
        b = self.open_served()
        try:
            with self.server.connect() as c:
                c.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                status, headers, body = Reader(c).response()
                self.assertProblem(status, headers, body, 503)
        finally:
            a.close()
            b.close()
        time.sleep(0.2)
        self.assertEqual(self.server.request("GET", "/health/live")[0], 200)


class BlockingPool(ServerTestCase):
    """Handlers that touch the store run on the blocking pool, never on an I/O thread."""

    args = ["--threads", "1"]
    env = {"BLOCKING_THREADS": "1", "BLOCKING_QUEUE": "0", "JOB_WORKERS": "0"}

    def test_a_stuck_handler_does_not_delay_liveness_and_a_full_pool_is_503(self):
        import os
        import sqlite3
        import threading

        # Another process holds the database's write lock: a submission waits in SQLite's busy
        # timeout (5 s) on the only blocking thread.
        lock = sqlite3.connect(os.path.join(self.server.data_dir, "reelgen.db"), isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        outcome = {}

        def submit():
            outcome["submit"] = self.server.request("POST", "/api/v1/videos", key=self.server.key,
                                                    body={"script": "Held up by a lock.", "test": True}, timeout=30)

        stuck = threading.Thread(target=submit)
        stuck.start()
        try:
            time.sleep(0.5)  # the submission reaches the pool
            started = time.monotonic()
            status, _, _ = self.server.request("GET", "/health/live")
            self.assertEqual(status, 200)
            self.assertLess(time.monotonic() - started, 1.0)  # on the I/O thread, not behind the lock
            status, headers, body = self.server.request("GET", "/api/v1/videos", key=self.server.key)
            self.assertProblem(status, headers, body, 503)
            self.assertEqual(headers.get("retry-after"), "1")
            _, _, metrics = self.server.request("GET", "/metrics")
            self.assertIn(b'reelgen_http_rejected_total{reason="blocking_pool_full"} 1', metrics)
            self.assertIn(b"reelgen_http_blocking_in_flight 1", metrics)  # the stuck submission
            stuck.join(timeout=20)
            status, headers, body = outcome["submit"]
            doc = self.assertProblem(status, headers, body, 503)  # a bounded wait, then 503
            self.assertIn("busy", doc["detail"])
        finally:
            lock.execute("ROLLBACK")
            lock.close()
            stuck.join(timeout=20)
        status, _, _ = self.server.request("POST", "/api/v1/videos", key=self.server.key,
                                           body={"script": "Now it goes through.", "test": True})
        self.assertEqual(status, 202)


if __name__ == "__main__":
    unittest.main()


class Studio(ServerTestCase):
    """The web studio's page and assets, embedded in the binary."""

    def test_the_page_is_served_without_a_key_and_never_cached_stale(self):
        status, headers, body = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        self.assertEqual(headers["cache-control"], "no-cache")
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        csp = headers["content-security-policy"]
        for rule in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
            self.assertIn(rule, csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn(b"<div id=\"app\"></div>", body)

    def test_hashed_assets_are_cached_for_a_year(self):
        _, _, page = self.server.request("GET", "/")
        assets = re.findall(rb'"(/assets/[^"]+)"', page)
        self.assertEqual(sorted(a.rsplit(b".", 1)[1] for a in assets), [b"css", b"js"])
        types = {b"js": "text/javascript; charset=utf-8", b"css": "text/css; charset=utf-8"}
        for asset in assets:
            self.assertRegex(asset.decode(), r"^/assets/[\w-]+-[\w-]{8}\.(js|css)$")
            status, headers, body = self.server.request("GET", asset.decode())
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-type"], types[asset.rsplit(b".", 1)[1]])
            self.assertEqual(headers["cache-control"], "public, max-age=31536000, immutable")
            self.assertEqual(headers["x-content-type-options"], "nosniff")
            self.assertGreater(len(body), 1000)
            with open(os.path.join(ROOT, "web", "dist", asset.decode().lstrip("/")), "rb") as f:
                self.assertEqual(body, f.read())
        status, headers, body = self.server.request("GET", "/assets/missing-00000000.js")
        self.assertProblem(status, headers, body, 404)
