"""Starts the real reelgen binary on an ephemeral port and talks HTTP to it.

Every integration test uses a fresh data directory and its own server process.
"""

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

from openapi_check import check_response

BIN = os.environ.get("REELGEN_BIN", os.path.join(os.path.dirname(__file__), "../../build/release/src/app/reelgen"))


class Server:
    """A running `reelgen serve`; the URL and first admin key are read from its stdout."""

    def __init__(self, env=None, args=None, data_dir=None):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="reelgen-it-")
        full_env = dict(os.environ)
        full_env.update({"LOG_LEVEL": "warn"})
        full_env.update(env or {})
        args = list(args or [])
        threads = [] if "--threads" in args else ["--threads", "2"]
        cmd = [BIN, "serve", "--port", "0", *threads, "--data-dir", self.data_dir] + args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=full_env, text=True)
        self.output = []
        self.port = None
        self.key = None
        expect_key = data_dir is None  # a fresh data directory always gets a first admin key
        while self.port is None or (expect_key and self.key is None):
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server exited early:\n" + "".join(self.output))
            self.output.append(line)
            match = re.match(r"reelgen listening on http://([\d.]+):(\d+)", line)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
            if line.startswith("rg_"):
                self.key = line.strip()
        # Keep draining output so the server never blocks on a full pipe.
        self._drain = threading.Thread(target=self._read_rest, daemon=True)
        self._drain.start()
        self.wait_ready()

    def _read_rest(self):
        for line in self.proc.stdout:
            self.output.append(line)

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.request("GET", "/health/ready", key=self.key)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("server not ready:\n" + "".join(self.output))

    def request(self, method, path, body=None, headers=None, key=None, timeout=10):
        """One request on a new connection; returns (status, headers dict lower-cased, body bytes)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            hdrs = dict(headers or {})
            if key:
                hdrs["Authorization"] = "Bearer " + key
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                hdrs.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=body, headers=hdrs)
            res = conn.getresponse()
            data = res.read()
            got = {k.lower(): v for k, v in res.getheaders()}
            check_response(method, path, res.status, got, data)  # every answer keeps the contract
            return res.status, got, data
        finally:
            conn.close()

    def json(self, method, path, body=None, key=None, headers=None):
        status, hdrs, data = self.request(method, path, body=body, key=key or self.key, headers=headers)
        return status, hdrs, (json.loads(data) if data else None)

    def connect(self, timeout=5):
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def cli(self, *args, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run([BIN, *args, "--data-dir", self.data_dir], capture_output=True, text=True, env=full_env, timeout=30)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._drain.join(timeout=2)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._drain.join(timeout=2)
        self.proc.stdout.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class Reader:
    """Reads HTTP/1.1 responses (Content-Length framed) from a raw socket, in order."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed; buffered %r" % self.buf[:200])
        self.buf += chunk

    def response(self):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body


def closed_by_peer(sock, timeout=5):
    """True when the server closes the connection (EOF or reset) within timeout."""
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class ServerTestCase(unittest.TestCase):
    """One server for the whole class; env and args customize it."""

    env = {}
    args = []

    @classmethod
    def setUpClass(cls):
        cls.server = Server(env=cls.env, args=cls.args)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assertProblem(self, status, headers, body, expected_status):
        self.assertEqual(status, expected_status, body)
        self.assertEqual(headers.get("content-type"), "application/problem+json")
        doc = json.loads(body)
        for field in ("type", "title", "status", "detail", "instance"):
            self.assertIn(field, doc)
        self.assertEqual(doc["status"], expected_status)
        self.assertEqual(doc["instance"], headers.get("x-request-id"))
        return doc
