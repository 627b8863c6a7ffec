"""Runs every curl example in README.md and docs/*.md against a real server.

An example is a ```sh block that starts with `curl`, preceded by `<!-- expect: STATUS -->`.
Examples use $REELGEN for the base URL, $KEY for an admin key and $VIDEO_ID for a completed video.
"""

import glob
import os
import re
import subprocess
import time
import unittest

from harness import Server

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
EXAMPLE = re.compile(r"<!-- expect: (\d{3}) -->\s*```sh\n(.*?)```", re.S)
ANY_CURL_BLOCK = re.compile(r"```sh\n(curl .*?)```", re.S)


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
        env = dict(os.environ, REELGEN=self.server.url, KEY=self.server.key, VIDEO_ID=self.video_id)
        count = 0
        for path in documents():
            for expected, command in EXAMPLE.findall(open(path, encoding="utf-8").read()):
                count += 1
                script = command.strip() + " -o /dev/null -w '%{http_code}'"
                result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30)
                with self.subTest(doc=os.path.basename(path), command=command.strip()[:80]):
                    self.assertEqual(result.stdout.strip()[-3:], expected, result.stderr)
        self.assertGreaterEqual(count, 15, "the docs should show an example for every endpoint")


if __name__ == "__main__":
    unittest.main()
