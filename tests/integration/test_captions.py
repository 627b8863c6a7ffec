"""The caption API over real HTTP: generate, batch, info, validation, cache."""

import json
import re
import unittest

from harness import ServerTestCase

HASHTAG = re.compile(r"^#[A-Za-z0-9_]+$")


class Generate(ServerTestCase):
    def generate(self, body):
        return self.server.json("POST", "/api/v14/generate", body)

    def test_generates_a_full_response(self):
        status, headers, doc = self.generate({"content_description": "Beautiful sunset over the ocean",
                                              "style": "inspirational", "hashtag_count": 12})
        self.assertEqual(status, 200, doc)
        self.assertEqual(headers["content-type"], "application/json")
        for field in ("request_id", "caption", "hashtags", "emojis", "quality_score", "engagement_score",
                      "readability_score", "sentiment", "tone", "word_count", "character_count",
                      "optimization_level", "api_version", "performance_metrics", "niche", "intent",
                      "facts", "facts_omitted"):
            self.assertIn(field, doc)
        self.assertEqual(doc["request_id"], headers["x-request-id"])
        # Up to the count asked for, only relevant ones: never padded.
        self.assertGreaterEqual(len(doc["hashtags"]), 3)
        self.assertLessEqual(len(doc["hashtags"]), 12)
        for tag in doc["hashtags"]:
            self.assertRegex(tag, HASHTAG)
        self.assertEqual(len({t.lower() for t in doc["hashtags"]}), len(doc["hashtags"]))
        self.assertEqual(doc["niche"], "nature")
        self.assertLessEqual(len(doc["caption"]) + 2 + len(" ".join(doc["hashtags"])), 2200)
        self.assertGreater(doc["word_count"], 3)
        self.assertEqual(doc["character_count"], len(doc["caption"]))
        metrics = doc["performance_metrics"]
        self.assertIsInstance(metrics["processing_time"], float)
        self.assertEqual(metrics["provider"], "builtin")
        self.assertEqual(doc["api_version"], "14.0")

    def test_facts_are_kept_and_reported(self):
        status, _, doc = self.generate({
            "content_description": "Taco Tuesday is back at Casa Verde! Every Tuesday from 5 to 9 pm, "
                                   "all street tacos are $2.",
            "style": "promotional"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["intent"], "promotion")
        kinds = {f["text"]: f["kind"] for f in doc["facts"]}
        self.assertEqual(kinds.get("$2"), "price")
        self.assertEqual(kinds.get("5 to 9 pm"), "time")
        self.assertEqual(kinds.get("Casa Verde"), "place")
        for fact in kinds:
            self.assertIn(fact, doc["caption"])
        self.assertEqual(doc["facts_omitted"], [])
        # A short caption keeps the most important facts and lists the ones it had no room for.
        status, _, short = self.generate({
            "content_description": "Just listed: 3-bed craftsman home in Portland's Sellwood "
                                   "neighborhood. Open house Saturday 1-4 pm, offered at $675,000.",
            "length": "short"})
        self.assertEqual(status, 200, short)
        self.assertLessEqual(len(short["caption"]), 80)
        kept = [f["text"] for f in short["facts"] if f["text"] in short["caption"]]
        omitted = [f["text"] for f in short["facts_omitted"]]
        self.assertIn("$675,000", short["caption"])
        self.assertEqual(sorted(kept + omitted), sorted(f["text"] for f in short["facts"]))

    def test_same_request_and_seed_give_the_same_caption_and_hit_the_cache(self):
        body = {"content_description": "Homemade sourdough bread fresh from the oven", "seed": 7}
        _, _, first = self.generate(body)
        _, _, second = self.generate(body)
        self.assertEqual(first["caption"], second["caption"])
        self.assertEqual(first["hashtags"], second["hashtags"])
        self.assertFalse(first["performance_metrics"]["cache_hit"])
        self.assertTrue(second["performance_metrics"]["cache_hit"])
        self.assertNotEqual(first["request_id"], second["request_id"])

    def test_styles_write_different_captions(self):
        captions = set()
        for style in ("casual", "professional", "luxury", "playful"):
            status, _, doc = self.generate({"content_description": "Golden retriever puppy playing in the park",
                                            "style": style})
            self.assertEqual(status, 200)
            captions.add(doc["caption"])
        self.assertEqual(len(captions), 4)

    def test_keywords_appear_and_variants_are_returned(self):
        status, _, doc = self.generate({"content_description": "Morning yoga session on the beach",
                                        "keywords": ["mindfulness", "sunrise"], "variants": 3})
        self.assertEqual(status, 200, doc)
        self.assertIn("mindfulness", doc["caption"].lower())
        self.assertIn("sunrise", doc["caption"].lower())
        self.assertEqual(len(doc["variants"]), 2)
        texts = {doc["caption"]} | {v["caption"] for v in doc["variants"]}
        self.assertEqual(len(texts), 3)

    def test_control_and_bidi_characters_are_refused_naming_the_field(self):
        # Issue 10, row 12: they were put into the caption.
        cases = [({"content_description": "Sunset over the sea", "keywords": ["a\u0000b"]}, "keywords[0]"),
                 ({"content_description": "\u202eevil sunset text"}, "content_description"),
                 ({"content_description": "Sunset over the sea", "audience": "x\u2066y"}, "audience"),
                 ({"content_description": "Sunset over the sea", "brand_voice": "\u0085calm"}, "brand_voice"),
                 ({"content_description": "Sunset \u001b[31m over the sea"}, "content_description")]
        for body, field in cases:
            with self.subTest(field=field):
                status, headers, raw = self.server.request("POST", "/api/v14/generate", body=body, key=self.server.key)
                doc = self.assertProblem(status, headers, raw, 422)
                self.assertEqual((doc["errors"][0]["field"], doc["errors"][0]["rule"]), (field, "characters"))
        status, headers, raw = self.server.request("POST", "/api/v14/batch", key=self.server.key, body={
            "requests": [{"content_description": "Sunset over the sea", "keywords": ["\u202dx"]}]})
        self.assertIn("requests[0].keywords[0]", raw.decode())
        # Emoji sequences (joiners, variation selectors), other scripts, tabs and newlines pass.
        status, _, doc = self.generate({"content_description": "Coding late \U0001F469\u200d\U0001F4BB with \u2764\ufe0f\n"
                                                               "\tand \u05e9\u05dc\u05d5\u05dd friends"})
        self.assertEqual(status, 200, doc)

    def test_zero_hashtags(self):
        status, _, doc = self.generate({"content_description": "Quiet coffee shop corner", "hashtag_count": 0})
        self.assertEqual(status, 200)
        self.assertEqual(doc["hashtags"], [])

    def test_unknown_fields_and_bad_values_are_422_naming_each_field(self):
        status, headers, body = self.server.request(
            "POST", "/api/v14/generate", key=self.server.key,
            body={"content_description": "ok text here", "style": "grumpy", "hashtag_count": 99, "colour": "red"})
        doc = self.assertProblem(status, headers, body, 422)
        fields = {(e["field"], e["rule"]) for e in doc["errors"]}
        self.assertEqual(fields, {("style", "enum"), ("hashtag_count", "maximum"), ("colour", "unknown_field")})

    def test_provider_llm_without_a_model_is_422_naming_the_field(self):
        status, headers, body = self.server.request(
            "POST", "/api/v14/generate",
            {"content_description": "Fresh sourdough at our bakery", "provider": "llm"},
            key=self.server.key)
        doc = self.assertProblem(status, headers, body, 422)
        self.assertIn("provider", [e["field"] for e in doc["errors"]])
        status, _, doc = self.generate({"content_description": "Fresh sourdough at our bakery",
                                        "provider": "builtin"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["performance_metrics"]["provider"], "builtin")
        self.assertFalse(doc["performance_metrics"]["fallback"])
        status, _, info = self.server.json("GET", "/api/v14/info")
        self.assertEqual(info["providers"], ["builtin"])
        self.assertEqual(info["llm"]["llm_api_key"], "unset")

    def test_missing_description_is_422(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", key=self.server.key, body={})
        doc = self.assertProblem(status, headers, body, 422)
        self.assertEqual(doc["errors"][0]["field"], "content_description")
        self.assertEqual(doc["errors"][0]["rule"], "required")

    def test_wrong_types_are_422(self):
        status, headers, body = self.server.request(
            "POST", "/api/v14/generate", key=self.server.key,
            body={"content_description": ["not", "a", "string"], "variants": "3", "seed": 1.5})
        doc = self.assertProblem(status, headers, body, 422)
        self.assertEqual({e["field"] for e in doc["errors"]}, {"content_description", "variants", "seed"})

    def test_malformed_json_is_400(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", key=self.server.key,
                                                    body='{"content_description": "abc',
                                                    headers={"Content-Type": "application/json"})
        self.assertProblem(status, headers, body, 400)

    def test_invalid_utf8_is_400(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", key=self.server.key,
                                                    body=b'{"content_description": "caf\xc3\x28 latte art"}',
                                                    headers={"Content-Type": "application/json"})
        self.assertProblem(status, headers, body, 400)

    def test_non_object_body_is_400(self):
        status, headers, body = self.server.request("POST", "/api/v14/generate", key=self.server.key, body=[1, 2])
        self.assertProblem(status, headers, body, 400)


class Batch(ServerTestCase):
    def test_batch_answers_every_item_in_order(self):
        requests = [{"content_description": f"Sunset number {i} over the mountains", "seed": i} for i in range(20)]
        requests[5] = {"content_description": "x"}
        requests[9] = {"content_description": "valid text", "style": "nope"}
        status, _, doc = self.server.json("POST", "/api/v14/batch", {"requests": requests})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["total_requests"], 20)
        self.assertEqual(doc["successful_requests"], 18)
        self.assertEqual(doc["failed_requests"], 2)
        self.assertIsInstance(doc["processing_time"], float)
        self.assertTrue(doc["batch_id"])
        self.assertEqual([r["index"] for r in doc["results"]], list(range(20)))
        bad = doc["results"][5]
        self.assertEqual(bad["status"], 422)
        self.assertEqual(bad["problem"]["errors"][0]["field"], "requests[5].content_description")
        self.assertEqual(doc["results"][9]["problem"]["errors"][0]["field"], "requests[9].style")
        good = doc["results"][0]["result"]
        self.assertTrue(good["caption"])
        self.assertTrue(all(HASHTAG.match(t) for t in good["hashtags"]))

    def test_batch_size_is_bounded(self):
        status, headers, body = self.server.request("POST", "/api/v14/batch", key=self.server.key,
                                                    body={"requests": []})
        doc = self.assertProblem(status, headers, body, 422)
        self.assertEqual(doc["errors"][0]["rule"], "min_items")
        status, headers, body = self.server.request(
            "POST", "/api/v14/batch", key=self.server.key,
            body={"requests": [{"content_description": "hello there"}] * 101})
        doc = self.assertProblem(status, headers, body, 422)
        self.assertEqual(doc["errors"][0]["rule"], "max_items")

    def test_batch_rejects_unknown_top_level_fields(self):
        status, headers, body = self.server.request(
            "POST", "/api/v14/batch", key=self.server.key,
            body={"requests": [{"content_description": "hello there"}], "parallel": True})
        doc = self.assertProblem(status, headers, body, 422)
        self.assertEqual(doc["errors"][0]["field"], "parallel")


class Info(ServerTestCase):
    def test_info_lists_styles_limits_and_providers(self):
        status, _, doc = self.server.json("GET", "/api/v14/info")
        self.assertEqual(status, 200)
        self.assertEqual(len(doc["styles"]), 9)
        self.assertIn("call_to_action", doc["styles"])
        self.assertEqual(doc["limits"]["hashtag_count"]["max"], 30)
        self.assertEqual(doc["limits"]["batch_max_requests"], 100)
        self.assertIn("builtin", doc["providers"])
        self.assertIn("en", doc["languages"])
        self.assertIn("5", doc["notes"]["hashtags"])
        self.assertEqual(len(doc["niches"]), 25)
        for niche in ("drink", "realestate", "wedding", "books", "charity", "seasonal", "photography"):
            self.assertIn(niche, doc["niches"])
        self.assertEqual(doc["fallback_niche"], "lifestyle")
        self.assertEqual(len(doc["intents"]), 8)
        self.assertIn("never padded", doc["notes"]["hashtags"])


if __name__ == "__main__":
    unittest.main()
