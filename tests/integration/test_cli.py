"""The command line: help texts, offline captions, key management errors."""

import json
import re
import subprocess
import tempfile
import unittest

from harness import BIN


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


class Cli(unittest.TestCase):
    def test_help_for_every_subcommand(self):
        top = run("--help")
        self.assertEqual(top.returncode, 0)
        for sub in ("serve", "keys", "caption", "migrate"):
            self.assertIn(sub, top.stdout)
        for args in (("serve",), ("keys",), ("keys", "create"), ("keys", "list"), ("keys", "revoke"),
                     ("caption",), ("migrate",)):
            result = run(*args, "--help")
            self.assertEqual(result.returncode, 0, args)
            self.assertIn("Usage", result.stdout + result.stderr)
        self.assertIn("--port", run("serve", "--help").stdout)
        self.assertIn("--scope", run("keys", "create", "--help").stdout)

    def test_caption_offline(self):
        result = run("caption", "Beautiful sunset over the ocean", "--style", "inspirational", "--hashtags", "15")
        self.assertEqual(result.returncode, 0, result.stderr)
        text, tags = result.stdout.strip().rsplit("\n\n", 1)
        self.assertTrue(text.strip())
        hashtags = tags.split()
        self.assertTrue(3 <= len(hashtags) <= 15, hashtags)  # relevant ones only, never padded
        self.assertTrue(all(re.match(r"^#[A-Za-z0-9_]+$", t) for t in hashtags))

    def test_caption_json_matches_the_api_shape(self):
        result = run("caption", "Golden retriever puppy in the snow", "--json", "--seed", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout)
        self.assertEqual(doc["api_version"], "14.0")
        self.assertEqual(doc, json.loads(run("caption", "Golden retriever puppy in the snow", "--json", "--seed", "3").stdout))

    def test_caption_bad_input_exits_2_with_the_rule(self):
        result = run("caption", "abc")
        self.assertEqual(result.returncode, 2)
        self.assertIn("content_description", result.stderr)
        result = run("caption", "a fine description", "--style", "grumpy")
        self.assertEqual(result.returncode, 2)
        self.assertIn("style", result.stderr)

    def test_keys_create_needs_a_name_and_valid_scope(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertNotEqual(run("keys", "create", "--data-dir", d).returncode, 0)
            self.assertNotEqual(run("keys", "create", "--name", "x", "--scope", "root", "--data-dir", d).returncode, 0)
            ok = run("keys", "create", "--name", "x", "--scope", "admin", "--data-dir", d)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertRegex(ok.stdout.strip().splitlines()[-1], r"^rg_[A-Za-z0-9]{40}$")
            self.assertEqual(run("migrate", "--data-dir", d).returncode, 0)

    def test_a_bad_command_line_exits_2(self):
        # Issue 10, row 15: the exit codes were CLI11's own, 105, 104 and 106.
        with tempfile.TemporaryDirectory() as d:
            for args in (("keys", "create", "--name", "x", "--scope", "god", "--data-dir", d),
                         ("serve", "--port", "abc", "--data-dir", d), ("--bogus",),
                         ("keys", "create", "--data-dir", d), ("caption", "--hashtags", "many")):
                with self.subTest(args=args):
                    result = run(*args)
                    self.assertEqual(result.returncode, 2, result.stderr)
                    self.assertTrue(result.stderr.strip())
            self.assertEqual(run("--help").returncode, 0)
            self.assertEqual(run("keys", "create", "--help").returncode, 0)

    def test_unusable_port_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            result = subprocess.run([BIN, "serve", "--host", "not-an-ip", "--data-dir", d],
                                    capture_output=True, text=True, timeout=30)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("not-an-ip", result.stderr)


if __name__ == "__main__":
    unittest.main()
