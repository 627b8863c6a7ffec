"""A small OpenAI-compatible chat server for tests: the wire protocol of each dialect
(/v1/chat/completions as JSON or server-sent events, Ollama's /api/chat), with usage, and the
failures a real one has (429 with Retry-After, 500, hangs, truncated streams, invalid JSON, a
caption in the wrong language or without a fact). It records every request it receives.

Behaviour is a queue of modes set by the test (`server.script(["missing_fact", "good"])`); when
it is empty, `server.default` answers.
"""

import json
import os
import re
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _prompt_parts(body):
    user = next((m["content"] for m in body.get("messages", []) if m.get("role") == "user"), "")
    desc = re.search(r"^Description: (.*)$", user, re.M)
    keywords = re.findall(r'"([^"]+)"', (re.search(r"^Keywords that must appear.*$", user, re.M) or [""])[0])
    return (desc.group(1) if desc else "A caption"), keywords, user


def good_caption(body):
    desc, keywords, _ = _prompt_parts(body)
    text = desc + " " + " ".join(keywords) + " Come and see it for yourself!"
    return {"caption": text.strip(), "hashtags": ["#Bakery", "#bakery", "fresh bread", "#instagood", "#sourdough"]}


class FakeLlm:
    def __init__(self, default="good", delay=0.0, tls=False):
        self.default = default
        self.delay = delay
        self.requests = []
        self._script = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.scheme = "http"
        self.cert_file = None
        if tls:
            self.scheme = "https"
            self.cert_file = self._self_signed()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert_file, self._key_file)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}/v1"

    def _self_signed(self):
        """A certificate for 127.0.0.1 made for this run (openssl); the test trusts it by file."""
        folder = tempfile.mkdtemp(prefix="fake-llm-tls-")
        cert, self._key_file = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", self._key_file, "-out", cert], check=True, capture_output=True)
        return cert

    def script(self, modes):
        with self._lock:
            self._script = list(modes)

    def reset(self, default="good"):
        with self._lock:
            self._script = []
            self.requests = []
            self.default = default
            self.max_in_flight = 0

    def bodies(self):
        with self._lock:
            return [r["body"] for r in self.requests]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _next_mode(self):
        with self._lock:
            return self._script.pop(0) if self._script else self.default

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"unparsed": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.requests.append({"path": self.path, "body": body,
                                          "authorization": self.headers.get("Authorization")})
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self._answer(fake._next_mode(), body)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _send(self, status, payload, content_type="application/json", headers=None):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _contents(self, mode, body):
                n = int(body.get("n", 1))
                desc, _, _ = _prompt_parts(body)
                if mode == "invalid_json":
                    return ["this is not json at all"] * n
                if mode == "wrong_language":
                    text = "Es el mejor pan de la ciudad y lo hacemos con amor para todos los que lo quieren"
                    return [json.dumps({"caption": text, "hashtags": ["#pan"]})] * n
                if mode == "missing_fact":
                    return [json.dumps({"caption": "Something lovely is waiting for you here.", "hashtags": []})] * n
                out = []
                for i in range(n):
                    c = good_caption(body)
                    if i:
                        c["caption"] += " Variant " + str(i + 1) + "."
                    out.append(json.dumps(c))
                return out

            def _answer(self, mode, body):
                if fake.delay:
                    time.sleep(fake.delay)
                if mode == "hang":
                    time.sleep(30)
                    return
                if mode == "status429":
                    return self._send(429, {"error": "slow down"}, headers={"Retry-After": "7"})
                if mode == "status500":
                    return self._send(500, {"error": "boom"})
                contents = self._contents(mode, body)
                usage = {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160}
                if self.path == "/api/chat":
                    return self._send(200, {"model": body.get("model"), "done": True,
                                            "message": {"role": "assistant", "content": contents[0]},
                                            "prompt_eval_count": 120, "eval_count": 40})
                if body.get("stream") or mode == "truncated":
                    return self._stream(contents, usage, truncated=(mode == "truncated"))
                choices = [{"index": i, "finish_reason": "stop",
                            "message": {"role": "assistant", "content": c}} for i, c in enumerate(contents)]
                self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                                 "choices": choices, "usage": usage})

            def _stream(self, contents, usage, truncated):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                events = []
                for i, c in enumerate(contents):
                    for k in range(0, len(c), 7):
                        events.append({"choices": [{"index": i, "delta": {"content": c[k:k + 7]}, "finish_reason": None}]})
                    events.append({"choices": [{"index": i, "delta": {}, "finish_reason": "stop"}]})
                events.append({"choices": [], "usage": usage})
                text = "".join("data: " + json.dumps(e) + "\n\n" for e in events) + "data: [DONE]\n\n"
                if truncated:
                    text = text[: len(text) // 2]
                data = text.encode()
                # Pieces that split events, lines and the [DONE] marker across reads.
                for k in range(0, len(data), 50):
                    piece = data[k:k + 50]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                if truncated:
                    self.close_connection = True
                    return
                self.wfile.write(b"0\r\n\r\n")

        return Handler
