"""deploy/prometheus and deploy/grafana: promtool checks and unit-tests the rules, and every metric
the rules and the dashboard read is one a running server exports."""

import glob
import json
import os
import re
import subprocess
import time
import unittest

import yaml

from harness import Server

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PROM = os.path.join(ROOT, "deploy", "prometheus")
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "dashboards", "reelgen.json")
NAME = re.compile(r"\b(?:reelgen|process)[a-z0-9_:]*")
BUILTIN = {"ALERTS"}  # Prometheus's own


def promtool(*args):
    result = subprocess.run(["promtool", *args], capture_output=True, text=True, cwd=PROM, timeout=60)
    return result.returncode, result.stdout + result.stderr


def rules():
    for path in sorted(glob.glob(os.path.join(PROM, "rules", "*.yml"))):
        with open(path) as f:
            for group in yaml.safe_load(f)["groups"]:
                yield from group["rules"]


def dashboard_exprs():
    with open(DASHBOARD) as f:
        for panel in json.load(f)["panels"]:
            for target in panel.get("targets", []):
                yield target["expr"]


def names_in(expr):
    # Label matchers' values ("reelgen.*" in a regex) are not metric names.
    return set(NAME.findall(re.sub(r'"[^"]*"', '""', expr)))


class Promtool(unittest.TestCase):
    def test_config_and_rules_check(self):
        code, out = promtool("check", "config", "prometheus.yml")
        self.assertEqual(code, 0, out)
        code, out = promtool("check", "rules", *sorted(glob.glob(os.path.join(PROM, "rules", "*.yml"))))
        self.assertEqual(code, 0, out)

    def test_rule_unit_tests_pass(self):
        tests = sorted(glob.glob(os.path.join(PROM, "tests", "*.yml")))
        self.assertTrue(tests)
        code, out = promtool("test", "rules", *tests)
        self.assertEqual(code, 0, out)

    def test_every_builtin_rule_has_a_prometheus_alert(self):
        builtin = {"p99_latency", "error_rate", "cache_hit_rate", "queue_wait", "event_loop_lag",
                   "rss_growth", "disk_space", "webhook_failures"}
        mirrored = {r["labels"]["rule"] for r in rules() if "alert" in r}
        self.assertEqual(mirrored, builtin)


class ExportedNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"ANALYZER_INTERVAL_MS": "100"})
        # Traffic for every route-labelled and engine histogram.
        cls.server.json("POST", "/api/v14/generate", {"content_description": "A calm lake at dawn"})
        deadline = time.monotonic() + 10
        while True:  # the job gauges appear with the sampler's first sample
            _, _, body = cls.server.request("GET", "/metrics")
            if b"reelgen_jobs{" in body or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        cls.exported = {line.split("{")[0].split(" ")[0] for line in body.decode().splitlines()
                        if line and not line.startswith("#")}

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_every_metric_the_rules_and_dashboard_read_is_exported(self):
        recorded = {r["record"] for r in rules() if "record" in r}
        exprs = [r["expr"] for r in rules()] + list(dashboard_exprs())
        self.assertGreater(len(exprs), 30)
        used = set().union(*(names_in(e) for e in exprs)) - BUILTIN
        self.assertIn("reelgen_http_request_duration_seconds_bucket", used)
        missing = {n for n in used if n not in self.exported and n not in recorded}
        self.assertEqual(missing, set(), "read by deploy/ but not exported by the server")

    def test_every_recording_the_dashboard_reads_is_defined(self):
        recorded = {r["record"] for r in rules() if "record" in r}
        used = set().union(*(names_in(e) for e in dashboard_exprs()))
        self.assertEqual({n for n in used if ":" in n} - recorded, set())


if __name__ == "__main__":
    unittest.main()
