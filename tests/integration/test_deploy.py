"""deploy/: the Dockerfile, compose.yaml and the Kubernetes manifests, checked without an engine.

Docker and Kubernetes do not run on our machines. What can be checked here is: the YAML lints,
every manifest parses, probes and ports agree, every environment variable given to a reelgen
container is one docs/operations.md documents, and reelgen accepts the values given to it.
"""

import glob
import os
import re
import subprocess
import unittest

import yaml

from harness import BIN

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy")
# The Prometheus rules and the Grafana dashboard (checked by test_monitoring.py), mounted by
# compose.yaml and generated into ConfigMaps for Kubernetes.
MONITORING_FILES = {
    "prometheus/prometheus.yml",
    "prometheus/rules/reelgen-alerts.yml",
    "prometheus/rules/reelgen-recording.yml",
    "grafana/provisioning/datasources/prometheus.yml",
    "grafana/provisioning/dashboards/reelgen.yml",
    "grafana/dashboards/reelgen.json",
}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def documented_env():
    text = read(os.path.join(ROOT, "docs", "operations.md"))
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.M))


def k8s_documents():
    docs = []
    for path in sorted(glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml"))):
        docs += [(os.path.basename(path), d) for d in yaml.safe_load_all(read(path)) if d]
    return docs


def find(kind, name):
    for _, d in k8s_documents():
        if d["kind"] == kind and d["metadata"]["name"] == name:
            return d
    raise AssertionError(f"no {kind} {name} in deploy/k8s")


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


class Lint(unittest.TestCase):
    def test_yamllint_is_clean(self):
        result = subprocess.run(["yamllint", "-c", os.path.join(DEPLOY, ".yamllint.yaml"), DEPLOY],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


class Kubernetes(unittest.TestCase):
    def setUp(self):
        self.config = find("ConfigMap", "reelgen-config")["data"]
        self.secret = find("Secret", "reelgen-secrets")["stringData"]

    def test_the_api_runs_three_replicas_with_probes_on_its_port(self):
        api = find("Deployment", "reelgen-api")
        self.assertEqual(api["spec"]["replicas"], 3)
        container = pod_spec(api)["containers"][0]
        self.assertEqual(container["args"][0], "serve")
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        self.assertEqual(ports["http"], int(self.config["PORT"]))
        self.assertEqual(container["readinessProbe"]["httpGet"], {"path": "/health/ready", "port": "http"})
        self.assertEqual(container["livenessProbe"]["httpGet"], {"path": "/health/live", "port": "http"})
        self.assertEqual(self.config["HOST"], "0.0.0.0")
        service = find("Service", "reelgen-api")
        self.assertEqual(service["spec"]["ports"][0]["targetPort"], "http")
        self.assertEqual(service["spec"]["selector"], api["spec"]["selector"]["matchLabels"])

    def test_the_hpa_scales_the_api_on_cpu(self):
        hpa = find("HorizontalPodAutoscaler", "reelgen-api")
        self.assertEqual(hpa["spec"]["scaleTargetRef"]["name"], "reelgen-api")
        self.assertGreaterEqual(hpa["spec"]["minReplicas"], 3)
        self.assertEqual(hpa["spec"]["metrics"][0]["resource"]["name"], "cpu")

    def test_the_worker_is_probed_on_its_health_port(self):
        worker = find("Deployment", "reelgen-worker")
        container = pod_spec(worker)["containers"][0]
        self.assertEqual(container["args"][0], "worker")
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        self.assertEqual(ports["health"], int(self.config["HEALTH_PORT"]))
        self.assertEqual(container["readinessProbe"]["httpGet"]["port"], "health")
        self.assertEqual(container["livenessProbe"]["httpGet"]["path"], "/health/live")

    def test_secrets_hold_the_database_url_and_webhook_secret(self):
        self.assertEqual(set(self.secret), {"DATABASE_URL", "WEBHOOK_SECRET"})
        for name in ("reelgen-api", "reelgen-worker"):
            env = {e["name"]: e for e in pod_spec(find("Deployment", name))["containers"][0]["env"]}
            for key in ("DATABASE_URL", "WEBHOOK_SECRET"):
                self.assertEqual(env[key]["valueFrom"]["secretKeyRef"], {"name": "reelgen-secrets", "key": key})
            self.assertEqual(env["INSTANCE_ID"]["valueFrom"]["fieldRef"]["fieldPath"], "metadata.name")

    def test_api_and_workers_share_the_videos_volume_at_data_dir(self):
        pvc = find("PersistentVolumeClaim", "reelgen-videos")
        self.assertIn("ReadWriteMany", pvc["spec"]["accessModes"])
        for name in ("reelgen-api", "reelgen-worker"):
            spec = pod_spec(find("Deployment", name))
            self.assertEqual(spec["volumes"][0]["persistentVolumeClaim"]["claimName"], "reelgen-videos")
            self.assertEqual(spec["containers"][0]["volumeMounts"][0]["mountPath"], self.config["DATA_DIR"])
            self.assertTrue(spec["securityContext"]["runAsNonRoot"])

    def test_a_job_migrates_and_replicas_do_not(self):
        job = find("Job", "reelgen-migrate")
        self.assertEqual(pod_spec(job)["containers"][0]["args"], ["migrate"])
        self.assertEqual(self.config["MIGRATE_ON_START"], "false")

    def test_every_env_name_is_documented(self):
        documented = documented_env()
        names = set(self.config) | set(self.secret)
        for _, d in k8s_documents():
            if d["kind"] in ("Deployment", "Job") and d["metadata"]["name"].startswith("reelgen-") and \
                    pod_spec(d)["containers"][0]["image"].startswith("reelgen"):
                names |= {e["name"] for e in pod_spec(d)["containers"][0].get("env", [])}
        self.assertTrue(names)
        self.assertEqual(names - documented, set(), "env names missing from docs/operations.md")

    def test_reelgen_accepts_the_configured_values(self):
        env = dict(os.environ, **self.config, **self.secret)
        result = subprocess.run([BIN, "--version"], env=env, capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_kustomizations_list_every_manifest_and_the_monitoring_files(self):
        listed = yaml.safe_load(read(os.path.join(DEPLOY, "k8s", "kustomization.yaml")))["resources"]
        on_disk = {os.path.basename(p) for p in glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml"))}
        self.assertEqual(set(listed), on_disk - {"kustomization.yaml", "monitoring.yaml"})
        top = yaml.safe_load(read(os.path.join(DEPLOY, "kustomization.yaml")))
        self.assertEqual(top["resources"], ["k8s", "k8s/monitoring.yaml"])
        generated = {f for g in top["configMapGenerator"] for f in g["files"]}
        self.assertEqual(generated, MONITORING_FILES)
        names = {g["name"] for g in top["configMapGenerator"]}
        for _, d in k8s_documents():
            if d["kind"] == "Deployment" and d["metadata"]["name"] in ("reelgen-prometheus", "reelgen-grafana"):
                used = {v["configMap"]["name"] for v in pod_spec(d)["volumes"]}
                self.assertLessEqual(used, names)


class Compose(unittest.TestCase):
    def setUp(self):
        self.doc = yaml.safe_load(read(os.path.join(DEPLOY, "compose.yaml")))
        self.services = self.doc["services"]

    def reelgen_services(self):
        return {n: s for n, s in self.services.items() if s.get("image", "").startswith("reelgen")}

    def test_the_stack_has_every_part_with_a_health_check(self):
        self.assertLessEqual({"postgres", "redis", "worker", "prometheus", "grafana", "migrate"}, set(self.services))
        serving = [n for n, s in self.reelgen_services().items() if s["command"][0] == "serve"]
        self.assertEqual(len(serving), 2)
        for name, service in self.services.items():
            if name == "migrate":
                continue  # runs once and exits
            self.assertIn("test", service["healthcheck"], name)
        for name in serving:
            self.assertIn("/health/ready", " ".join(self.services[name]["healthcheck"]["test"]))
            self.assertEqual(self.services[name]["environment"]["PORT"], "8140")
        worker = self.services["worker"]
        self.assertIn(worker["environment"]["HEALTH_PORT"], " ".join(worker["healthcheck"]["test"]))

    def test_replicas_share_postgres_redis_and_the_data_volume(self):
        for name, service in self.reelgen_services().items():
            env = service["environment"]
            self.assertTrue(env["DATABASE_URL"].startswith("postgres://"), name)
            self.assertEqual(env["REDIS_URL"], "redis://redis:6379/0", name)
            self.assertIn("reelgen-data:/var/lib/reelgen", service["volumes"])
            self.assertEqual(env["DATA_DIR"], "/var/lib/reelgen")

    def test_every_env_name_is_documented(self):
        names = set()
        for service in self.reelgen_services().values():
            names |= set(service["environment"])
        self.assertEqual(names - documented_env(), set())

    def test_every_mounted_file_exists(self):
        mounted = set()
        for service in self.services.values():
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                if source.startswith("./"):
                    mounted.add(source[2:])
        self.assertEqual({m for m in mounted if m.startswith(("prometheus/", "grafana/"))}, MONITORING_FILES)
        for path in mounted:
            self.assertTrue(os.path.exists(os.path.join(DEPLOY, path)), path)


class Dockerfile(unittest.TestCase):
    def setUp(self):
        self.text = read(os.path.join(DEPLOY, "Dockerfile"))

    def test_two_stages_on_bookworm_slim_built_by_install_deps(self):
        stages = re.findall(r"^FROM (\S+)", self.text, re.M)
        self.assertEqual(stages, ["debian:bookworm-slim", "debian:bookworm-slim"])
        self.assertRegex(self.text, r"RUN scripts/install-deps")

    def test_the_runtime_is_non_root_with_a_health_check_on_the_exposed_port(self):
        runtime = self.text.split("\nFROM ")[-1]
        self.assertRegex(runtime, r"\nUSER reelgen\n")
        self.assertIn("HEALTHCHECK", runtime)
        self.assertIn("/health/live", runtime)
        self.assertRegex(runtime, r"EXPOSE 8140")
        self.assertRegex(runtime, r"PORT=8140")

    def test_runtime_env_names_are_documented(self):
        names = set(re.findall(r"^\s*(?:ENV\s+)?([A-Z_]+)=", self.text.split("\nFROM ")[-1], re.M))
        self.assertEqual(names - documented_env(), set())
        self.assertIn("DATA_DIR", names)


if __name__ == "__main__":
    unittest.main()
