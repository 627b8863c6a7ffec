"""Runs every curl example in README.md and docs/*.md against a real server.

An example is a ```sh block that starts with `curl`, preceded by `<!-- expect: STATUS -->`.
Examples use $REELGEN for the base URL, $KEY for an admin key and $VIDEO_ID for a completed video.
"""

import glob
import json
import os
import re
import shlex
import subprocess
import tempfile
import time
import unittest
from urllib.parse import urlsplit

from fake_llm import FakeLlm
from harness import BIN, Server
from openapi_check import check_response, operation, validate

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
EXAMPLE = re.compile(r"<!-- expect: (\d{3}) -->\s*```sh\n(.*?)```", re.S)
ANY_CURL_BLOCK = re.compile(r"```sh\n(curl .*?)```", re.S)
# Commands for model servers that do not install here: marked, and never run.
NOT_RUN = re.compile(r"<!-- not run here: [^>]+ -->\s*```sh\n(.*?)```", re.S)
MODEL_SERVER_BLOCK = re.compile(r"```sh\n((?:llama-server|vllm|ollama) .*?)```", re.S)
# reelgen commands run against our own test model server (tests/integration/fake_llm.py).
WITH_TEST_MODEL = re.compile(r"<!-- run: with the test model server -->\s*```sh\n(.*?)```", re.S)


def documents():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


class DocExamples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"VIDEO_MAX_ACTIVE_PER_KEY": "50"})  # the examples queue several videos
        status, _, doc = cls.server.json("POST", "/api/v1/videos", {"script": "A video for the docs.", "test": True})
        assert status == 202, doc
        cls.video_id = doc["video_id"]
        deadline = time.monotonic() + 120
        while doc["status"] != "completed" and time.monotonic() < deadline:
            time.sleep(0.1)
            _, _, doc = cls.server.json("GET", "/api/v1/videos/" + cls.video_id)
        assert doc["status"] == "completed", doc

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_every_curl_block_declares_its_expected_status(self):
        for path in documents():
            text = open(path, encoding="utf-8").read()
            self.assertEqual(len(ANY_CURL_BLOCK.findall(text)), len(EXAMPLE.findall(text)),
                             f"{path}: a curl example lacks its <!-- expect: STATUS --> marker")

    def test_examples_answer_as_documented(self):
        """Each example answers its status, and its request and response keep docs/openapi.json."""
        env = dict(os.environ, REELGEN=self.server.url, KEY=self.server.key, VIDEO_ID=self.video_id)
        out = tempfile.mkdtemp(prefix="reelgen-docs-")
        count = 0
        for path in documents():
            for expected, command in EXAMPLE.findall(open(path, encoding="utf-8").read()):
                count += 1
                script = (command.strip() + f" -D {out}/headers -o {out}/body"
                          " -w '%{http_code} %{method} %{url_effective}'")
                result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30)
                with self.subTest(doc=os.path.basename(path), command=command.strip()[:80]):
                    status, method, url = result.stdout.strip()[-1000:].rsplit(" ", 2)[-3:]
                    self.assertEqual(status[-3:], expected, result.stderr)
                    self.check_contract(command, int(expected), method, url, out)
        self.assertGreaterEqual(count, 15, "the docs should show an example for every endpoint")

    def check_contract(self, command, status, method, url, out):
        target = urlsplit(url)
        path = target.path + ("?" + target.query if target.query else "")
        headers = {}
        with open(f"{out}/headers", encoding="latin-1", newline="") as f:
            for line in f.read().split("\r\n\r\n")[-2].split("\r\n")[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        with open(f"{out}/body", "rb") as f:
            check_response(method, path, status, headers, f.read())
        words = shlex.split(command.replace("\\\n", " "))
        body = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-d", "--data")), None)
        _, op = operation(method, path)
        if body is not None and status < 300 and op and "requestBody" in op:
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            validate(json.loads(body), schema, f"{method} {target.path} request")


class ModelServerExamples(unittest.TestCase):
    def test_model_server_commands_are_marked_not_run_here(self):
        for path in documents():
            text = open(path, encoding="utf-8").read()
            marked = {block for block in NOT_RUN.findall(text)}
            for block in MODEL_SERVER_BLOCK.findall(text):
                self.assertIn(block, marked, f"{path}: a model server command lacks its not-run marker")

    def test_reelgen_commands_answer_from_the_test_model_server(self):
        llm = FakeLlm()
        try:
            env = dict(os.environ, LLM_BASE_URL=llm.base_url, LLM_MODEL="docs-model",
                       PATH=os.path.dirname(os.path.abspath(BIN)) + os.pathsep + os.environ["PATH"])
            count = 0
            for path in documents():
                for command in WITH_TEST_MODEL.findall(open(path, encoding="utf-8").read()):
                    count += 1
                    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                                            env=env, timeout=30)
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assertIn("$5", json.loads(result.stdout)["caption"])
            self.assertGreaterEqual(count, 1)
            self.assertEqual(len(llm.requests), count)
            self.assertEqual(llm.requests[0]["body"]["model"], "docs-model")
        finally:
            llm.close()


if __name__ == "__main__":
    unittest.main()
