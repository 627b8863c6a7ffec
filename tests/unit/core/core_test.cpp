#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"
#include "core/thread_pool.hpp"
#include "core/utf8.hpp"

namespace reelgen::core {
namespace {

TEST(Utf8, AcceptsWellFormedAndRejectsBrokenSequences) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x8C\x85"));  // café 🌅
  EXPECT_FALSE(is_valid_utf8("\xC3"));                         // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                     // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                 // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));             // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, CountsCodePointsAndNormalizesSpace) {
  EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x8C\x85"), 1u);
  EXPECT_EQ(normalize_space("  a \t\n b  c "), "a b c");
  EXPECT_EQ(normalize_space("   "), "");
}

TEST(Hash, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hash, ConstantTimeEqualComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secrets"));
}

TEST(Hash, RandomTokensAreBase62AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = random_token(40);
    ASSERT_EQ(t.size(), 40u);
    for (char c : t) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_NE(new_request_id(), new_request_id());
}

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Config, DefaultsWithoutEnvironment) {
  auto c = load_config(env_of({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 8140);
  EXPECT_EQ(c->server.host, "127.0.0.1");
  EXPECT_EQ(c->server.header_limit, 16u * 1024);
  EXPECT_EQ(c->server.body_limit, 1u << 20);
  EXPECT_EQ(c->data_dir, "./var");
}

TEST(Config, EnvironmentOverridesDefaults) {
  auto c = load_config(env_of({{"PORT", "9000"},
                               {"CACHE_TTL", "60"},
                               {"ACCESS_LOG", "off"},
                               {"RATE_LIMIT_PER_MINUTE", "120.5"},
                               {"DATA_DIR", "/tmp/x"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 9000);
  EXPECT_EQ(c->cache.ttl, std::chrono::seconds(60));
  EXPECT_FALSE(c->server.access_log);
  EXPECT_DOUBLE_EQ(c->rate_limit.per_minute, 120.5);
  EXPECT_EQ(c->data_dir, "/tmp/x");
}

TEST(Config, SignedMediaUrlsLastFifteenMinutesUnlessConfigured) {
  auto c = load_config(env_of({}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->server.media_url_ttl, std::chrono::seconds(900));
  EXPECT_TRUE(c->server.media_url_secret.empty());
  c = load_config(env_of({{"MEDIA_URL_TTL", "60"}, {"MEDIA_URL_SECRET", "s3cret"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->server.media_url_ttl, std::chrono::seconds(60));
  EXPECT_EQ(c->server.media_url_secret, "s3cret");
  EXPECT_EQ(describe(*c).at("media_url_secret"), "set");
  EXPECT_FALSE(load_config(env_of({{"MEDIA_URL_TTL", "0"}})));
}

TEST(Config, MalformedValuesNameTheVariable) {
  auto c = load_config(env_of({{"PORT", "80a"}}));
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("PORT"), std::string::npos);
  EXPECT_FALSE(load_config(env_of({{"PORT", "70000"}})));
  EXPECT_FALSE(load_config(env_of({{"ACCESS_LOG", "maybe"}})));
  EXPECT_FALSE(load_config(env_of({{"LOG_LEVEL", "loud"}})));
}

TEST(Config, ModelSettingsFromTheEnvironmentWithoutTheKeyInTheDescription) {
  auto c = load_config(env_of({{"CAPTION_PROVIDER", "llm"},
                               {"LLM_BASE_URL", "http://127.0.0.1:8000/v1"},
                               {"LLM_MODEL", "qwen2.5-7b"},
                               {"LLM_API_KEY", "sk-secret"},
                               {"LLM_TIMEOUT_MS", "1500"},
                               {"LLM_MAX_CONCURRENCY", "3"},
                               {"LLM_QUEUE", "7"},
                               {"LLM_TEMPERATURE", "0.2"},
                               {"LLM_BREAKER_FAILURES", "2"},
                               {"LLM_BREAKER_COOLDOWN_MS", "900"},
                               {"LLM_DIALECT", "vllm"},
                               {"LLM_FALLBACK_TTL", "5"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->llm.configured());
  EXPECT_EQ(c->llm.timeout, Millis(1500));
  EXPECT_EQ(c->llm.max_concurrency, 3);
  EXPECT_EQ(c->llm.queue, 7u);
  EXPECT_DOUBLE_EQ(c->llm.temperature, 0.2);
  EXPECT_EQ(c->llm.breaker_failures, 2);
  EXPECT_EQ(c->llm.breaker_cooldown, Millis(900));
  EXPECT_EQ(c->llm.dialect, "vllm");
  EXPECT_EQ(c->llm.fallback_ttl, std::chrono::seconds(5));
  const std::string shown = boost::json::serialize(describe(*c));
  EXPECT_EQ(shown.find("sk-secret"), std::string::npos);
  EXPECT_NE(shown.find("qwen2.5-7b"), std::string::npos);
}

TEST(Config, ModelSettingsAreChecked) {
  EXPECT_FALSE(load_config(env_of({{"CAPTION_PROVIDER", "gpt"}})));
  // llm as the default needs a model to call.
  EXPECT_FALSE(load_config(env_of({{"CAPTION_PROVIDER", "llm"}})));
  EXPECT_FALSE(load_config(env_of({{"LLM_DIALECT", "tgi"}})));
  EXPECT_FALSE(load_config(env_of({{"LLM_MAX_CONCURRENCY", "0"}})));
  EXPECT_FALSE(load_config(env_of({{"LLM_TEMPERATURE", "3"}})));
  EXPECT_FALSE(load_config(env_of({{"LLM_BASE_URL", "ftp://x"}})));
  auto defaults = load_config(env_of({}));
  ASSERT_TRUE(defaults);
  EXPECT_FALSE(defaults->llm.configured());
  EXPECT_EQ(defaults->llm.provider, "builtin");
  EXPECT_EQ(defaults->llm.timeout, Millis(8000));
}

TEST(ObjectReader, ValidatesTypesRangesAndUnknownFields) {
  auto doc = parse_json(R"({"name":"  hi  there ","n":40,"flag":"yes","mode":"b","extra":1})");
  ASSERT_TRUE(doc);
  std::vector<FieldError> errors;
  ObjectReader in(doc->as_object(), "", errors);
  EXPECT_EQ(in.text("name", true, 1, 20), "hi there");
  EXPECT_FALSE(in.integer("n", 0, 30));
  EXPECT_FALSE(in.boolean("flag"));
  constexpr std::string_view modes[] = {"a", "b"};
  EXPECT_EQ(in.choice("mode", modes), 1u);
  EXPECT_FALSE(in.text("missing", true, 1, 5));
  in.reject_unknown();
  std::map<std::string, std::string> rules;
  for (const auto& e : errors) rules[e.field] = e.rule;
  EXPECT_EQ(rules["n"], "maximum");
  EXPECT_EQ(rules["flag"], "type");
  EXPECT_EQ(rules["missing"], "required");
  EXPECT_EQ(rules["extra"], "unknown_field");
  EXPECT_EQ(rules.size(), 4u);
}

TEST(ObjectReader, RejectsFractionsForIntegersAndPrefixesPaths) {
  auto doc = parse_json(R"({"n":1.5})");
  ASSERT_TRUE(doc);
  std::vector<FieldError> errors;
  ObjectReader in(doc->as_object(), "requests[2]", errors);
  EXPECT_FALSE(in.integer("n", 0, 10));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "requests[2].n");
}

TEST(Json, MalformedTextAndInvalidUtf8AreMalformed) {
  EXPECT_EQ(parse_json("{").error().code, ErrorCode::malformed);
  EXPECT_EQ(parse_json("{\"a\":\"\xC3\"}").error().code, ErrorCode::malformed);
  EXPECT_TRUE(parse_json("{\"a\":\"caf\xC3\xA9\"}"));
}

TEST(ThreadPool, ParallelForVisitsEveryIndexOnce) {
  ThreadPool pool(2);
  std::vector<std::atomic<int>> hits(1000);
  pool.parallel_for(hits.size(), [&](std::size_t i) { hits[i].fetch_add(1); });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
  pool.parallel_for(0, [&](std::size_t) { FAIL(); });
}

}  // namespace
}  // namespace reelgen::core

namespace reelgen::core {
namespace {

TEST(Time, FormatsIso8601AndHttpDates) {
  using namespace std::chrono;
  const system_clock::time_point t(milliseconds(1'700'000'000'123));
  EXPECT_EQ(iso8601(t), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(iso8601(system_clock::time_point(milliseconds(5))), "1970-01-01T00:00:00.005Z");
  EXPECT_EQ(iso8601_ms(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(http_date(t), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(unix_ms(t), 1'700'000'000'123);
}

}  // namespace
}  // namespace reelgen::core

namespace reelgen::core {
namespace {

TEST(Utf8, FindsControlsAndBidiFormattingButNotEmojiSequences) {
  EXPECT_EQ(forbidden_code_point(std::string("a\0b", 3)), U'\0');
  EXPECT_EQ(forbidden_code_point("\x1b[31mred"), U'\x1b');
  EXPECT_EQ(forbidden_code_point("del\x7f"), U'\x7f');
  EXPECT_EQ(forbidden_code_point("c1 \xC2\x85 next line"), U'\x85');
  EXPECT_EQ(forbidden_code_point("\xE2\x80\xAE"
                                 "evil"),
            U'\u202E');                                          // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(forbidden_code_point("x\xE2\x81\xA6y"), U'\u2066');  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(forbidden_code_point("x\xE2\x81\xA9y"), U'\u2069');
  for (const char* fine :
       {"tab\tand\nnewline\r",
        "Gr\xC3\xB6\xC3\x9F"
        "e",
        "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",  // woman technologist (ZWJ)
        "\xE2\x9D\xA4\xEF\xB8\x8F",                      // heart with VS16
        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"}) {           // Hebrew letters
    EXPECT_FALSE(forbidden_code_point(fine)) << fine;
  }
  EXPECT_EQ(forbidden_message(U'\u202E'),
            "must not contain control or bidirectional formatting characters (U+202E)");
}

TEST(ObjectReader, TextRefusesForbiddenCharactersNamingTheField) {
  auto doc = boost::json::parse(R"({"title":"a\u202eb","name":"ok"})").as_object();
  std::vector<FieldError> errors;
  ObjectReader in(doc, "video", errors);
  EXPECT_FALSE(in.text("title", false, 0, 100));
  EXPECT_TRUE(in.text("name", false, 0, 100));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "video.title");
  EXPECT_EQ(errors[0].rule, "characters");
}

}  // namespace
}  // namespace reelgen::core

namespace reelgen::core {
namespace {

TEST(Json, NumbersArePlainIntegersAndDecimals) {
  const auto doc =
      boost::json::value{{"a", 6000.0}, {"b", 99.9},   {"c", 100.0},
                         {"d", 0.25},   {"e", -1.5},   {"f", 1.503406555},
                         {"g", 42},     {"h", "x\"y"}, {"i", boost::json::array{1.0, 2.5}},
                         {"j", nullptr}};
  const std::string text = to_json(doc);
  EXPECT_EQ(text.find('E'), std::string::npos) << text;
  EXPECT_NE(text.find("\"a\":6000"), std::string::npos) << text;
  EXPECT_NE(text.find("\"b\":99.9"), std::string::npos) << text;
  EXPECT_NE(text.find("\"c\":100,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"f\":1.503406555"), std::string::npos) << text;
  EXPECT_NE(text.find("\"h\":\"x\\\"y\""), std::string::npos) << text;
  EXPECT_NE(text.find("[1,2.5]"), std::string::npos) << text;
  // The text reads back as the same numbers.
  const auto back = boost::json::parse(text).as_object();
  EXPECT_DOUBLE_EQ(back.at("b").to_number<double>(), 99.9);
  EXPECT_DOUBLE_EQ(back.at("f").to_number<double>(), 1.503406555);
  EXPECT_EQ(to_json(boost::json::value(std::nan(""))), "null");
}

}  // namespace
}  // namespace reelgen::core
