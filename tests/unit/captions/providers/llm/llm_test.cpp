#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cache/l1_cache.hpp"
#include "captions/provider.hpp"
#include "captions/providers/llm/breaker.hpp"
#include "captions/providers/llm/client.hpp"
#include "captions/providers/llm/wire.hpp"
#include "captions/service.hpp"
#include "core/clock.hpp"

namespace reelgen::captions::llm {
namespace {

using namespace std::chrono_literals;

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndHalfOpensAfterTheCooldown) {
  core::ManualClock clock;
  CircuitBreaker breaker(3, 1000ms, clock);
  breaker.record_failure();
  breaker.record_success();  // a success resets the count
  breaker.record_failure();
  breaker.record_failure();
  EXPECT_TRUE(breaker.allow());
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_FALSE(breaker.allow());
  clock.advance(999ms);
  EXPECT_FALSE(breaker.allow());
  clock.advance(1ms);
  EXPECT_TRUE(breaker.allow());  // the one trial call
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  EXPECT_FALSE(breaker.allow());  // only one at a time
  breaker.record_failure();       // the trial failed: open again for a full cooldown
  EXPECT_EQ(breaker.state(), BreakerState::open);
  clock.advance(1000ms);
  EXPECT_TRUE(breaker.allow());
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, RetryAfterHoldsCallsWithoutOpening) {
  core::ManualClock clock;
  CircuitBreaker breaker(1, 1000ms, clock);
  breaker.hold_for(7s);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_FALSE(breaker.allow());
  clock.advance(6s);
  EXPECT_FALSE(breaker.allow());
  clock.advance(1s);
  EXPECT_TRUE(breaker.allow());
}

TEST(SseParser, EventsSplitAtEveryByteGiveTheSameData) {
  const std::string stream =
      ": keep-alive\r\n\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line1\ndata: line2\n\n"
      "data: [DONE]\n\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    for (std::size_t cut2 = cut; cut2 <= stream.size(); cut2 += 5) {
      std::vector<std::string> got;
      SseParser parser([&](std::string_view d) { got.emplace_back(d); });
      parser.feed(std::string_view(stream).substr(0, cut));
      parser.feed(std::string_view(stream).substr(cut, cut2 - cut));
      parser.feed(std::string_view(stream).substr(cut2));
      ASSERT_EQ(got.size(), 3u) << cut << " " << cut2;
      EXPECT_EQ(got[0], "{\"a\":1}");
      EXPECT_EQ(got[1], "line1\nline2");
      EXPECT_TRUE(parser.done());
    }
  }
}

std::string chunk(int index, std::string_view content, bool finish) {
  boost::json::object choice{{"index", index}, {"delta", {{"content", content}}}};
  choice["finish_reason"] = finish ? boost::json::value("stop") : boost::json::value(nullptr);
  return "data: " +
         boost::json::serialize(boost::json::object{{"choices", boost::json::array{choice}}}) +
         "\n\n";
}

TEST(ChatAnswer, StreamJoinsDeltasPerChoiceAndReadsUsage) {
  std::string body =
      chunk(0, "{\"cap", false) + chunk(1, "{\"caption\":\"B\"}", true) +
      chunk(0, "tion\":\"A\"}", true) +
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}"
      "\n\ndata: [DONE]\n\n";
  auto answer = parse_chat_answer(Dialect::openai, body, true);
  ASSERT_TRUE(answer.error.empty()) << answer.error;
  ASSERT_EQ(answer.contents.size(), 2u);
  EXPECT_EQ(answer.contents[0], "{\"caption\":\"A\"}");
  EXPECT_EQ(answer.tokens_in, 9u);
  EXPECT_EQ(answer.tokens_out, 4u);
  // Cut before [DONE]: not an answer.
  auto cut = parse_chat_answer(Dialect::openai, body.substr(0, body.find("data: [DONE]")), true);
  EXPECT_FALSE(cut.error.empty());
  EXPECT_FALSE(
      parse_chat_answer(Dialect::openai, "data: {oops\n\ndata: [DONE]\n\n", true).error.empty());
}

TEST(StreamAnswer, FedOneByteAtATimeAsTheNetworkMightDeliverIt) {
  const std::string body =
      chunk(0, "{\"caption\":", false) + chunk(0, "\"Hi\"}", true) + "data: [DONE]\n\n";
  StreamAnswer stream;
  for (char ch : body) stream.feed(std::string_view(&ch, 1));
  auto answer = stream.finish();
  ASSERT_TRUE(answer.error.empty()) << answer.error;
  EXPECT_EQ(answer.contents, std::vector<std::string>{"{\"caption\":\"Hi\"}"});
  StreamAnswer cut;
  cut.feed(body.substr(0, body.size() / 2));
  EXPECT_FALSE(cut.finish().error.empty());
}

TEST(ChatAnswer, JsonAndOllama) {
  auto a = parse_chat_answer(
      Dialect::openai,
      R"({"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":3,"completion_tokens":2}})",
      false);
  ASSERT_TRUE(a.error.empty());
  EXPECT_EQ(a.contents, std::vector<std::string>{"x"});
  EXPECT_EQ(a.tokens_out, 2u);
  EXPECT_FALSE(parse_chat_answer(Dialect::openai, "{\"choices\":[]}", false).error.empty());
  EXPECT_FALSE(parse_chat_answer(Dialect::openai, "<html>", false).error.empty());
  auto o = parse_chat_answer(Dialect::ollama,
                             "{\"message\":{\"content\":\"ab\"},\"done\":false}\n"
                             "{\"message\":{\"content\":\"c\"},\"done\":true,\"eval_count\":5}\n",
                             true);
  ASSERT_TRUE(o.error.empty()) << o.error;
  EXPECT_EQ(o.contents, std::vector<std::string>{"abc"});
  EXPECT_EQ(o.tokens_out, 5u);
  EXPECT_FALSE(
      parse_chat_answer(Dialect::ollama, "{\"message\":{\"content\":\"a\"},\"done\":false}", true)
          .error.empty());
}

TEST(ChatRequest, StructuredOutputPerDialect) {
  const Prompt prompt{"sys", "user"};
  const CallOptions options{"m", 0.5, 42, 3, false};
  auto body = [&](Dialect d) {
    return boost::json::parse(chat_request(d, prompt, options).body).as_object();
  };
  auto openai = body(Dialect::openai);
  EXPECT_EQ(openai["response_format"].at("type"), "json_schema");
  EXPECT_EQ(openai["n"], 3);
  EXPECT_EQ(openai["seed"], 42);
  EXPECT_DOUBLE_EQ(openai["temperature"].as_double(), 0.5);
  auto vllm = body(Dialect::vllm);
  EXPECT_TRUE(vllm.contains("structured_outputs"));
  EXPECT_TRUE(vllm.contains("guided_json"));
  EXPECT_FALSE(vllm.contains("response_format"));
  auto ollama = body(Dialect::ollama);
  EXPECT_EQ(chat_request(Dialect::ollama, prompt, options).path, "/api/chat");
  EXPECT_TRUE(ollama.contains("format"));
  EXPECT_EQ(ollama["options"].at("seed"), 42);
  EXPECT_EQ(dialect_of("auto"), Dialect::openai);
  EXPECT_FALSE(supports_n(Dialect::llamacpp));
}

TEST(Prompt, CarriesTheRequestTheFactsAndTheFindings) {
  CaptionRequest r;
  r.content_description = "Sourdough at our bakery, $5";
  r.language = "fr";
  r.keywords = {"crusty"};
  r.length = Length::short_;
  PromptFacts facts{"Sourdough", Intent::promotion, "food", {{"$5", FactKind::price}}};
  auto p = build_prompt(r, facts, {"the fact \"$5\" is missing"});
  for (const char* part :
       {"Sourdough at our bakery, $5", "Language: fr", "\"crusty\"", "\"$5\"", "at most 80",
        "Intent: promotion", "Niche: food", "previous answer was refused", "is missing"}) {
    EXPECT_NE(p.user.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(build_prompt(r, facts, {}).user.find("refused"), std::string::npos);
}

TEST(ModelCaption, ShapeIsChecked) {
  std::string error;
  auto c = read_model_caption("```json\n{\"caption\":\"Hi\",\"hashtags\":[\"#a\",1]}\n```", error);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(c.text, "Hi");
  EXPECT_EQ(c.hashtags, std::vector<std::string>{"#a"});
  read_model_caption("{\"text\":\"Hi\"}", error);
  EXPECT_FALSE(error.empty());
  read_model_caption("{\"caption\":\"Hi\",\"hashtags\":\"#a\"}", error);
  EXPECT_FALSE(error.empty());
}

TEST(BaseUrl, HostPortAndPath) {
  auto e = parse_base_url("http://127.0.0.1:8000/v1/");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 8000);
  EXPECT_EQ(e->base_path, "/v1");
  EXPECT_EQ(parse_base_url("http://localhost")->port, 80);
  auto hosted = parse_base_url("https://api.example.com/v1");
  ASSERT_TRUE(hosted);
  EXPECT_TRUE(hosted->tls);
  EXPECT_EQ(hosted->port, 443);
  EXPECT_FALSE(parse_base_url("ftp://api.example.com/v1"));
  EXPECT_FALSE(parse_base_url("http://h:99999"));
}

TEST(CacheKey, IncludesWhoWritesTheCaption) {
  CaptionRequest r;
  r.content_description = "Sunset over the ocean";
  EXPECT_NE(Service::cache_key(r, "builtin"), Service::cache_key(r, "llm:qwen"));
  EXPECT_NE(Service::cache_key(r, "llm:qwen"), Service::cache_key(r, "llm:llama"));
}

// A provider whose answers say whether they are fallbacks, counting its calls.
class CountingProvider final : public Provider {
 public:
  std::string_view name() const override { return "llm:test"; }
  core::Result<CaptionResult> generate(const CaptionRequest& request) const override {
    ++calls;
    CaptionResult r;
    r.caption.text = request.content_description;
    r.fallback = request.content_description.starts_with("fallback");
    r.provider = r.fallback ? "builtin" : "llm:test";
    return r;
  }
  core::Result<Caption> score(const CaptionRequest&, Caption c) const override { return c; }
  std::string route(const CaptionRequest&) const override { return "llm:test"; }
  mutable int calls = 0;
};

TEST(Service, FallbackAnswersStayCachedOnlyTheFallbackTtl) {
  core::ManualClock clock;
  cache::L1Cache c({100, 1 << 20, std::chrono::seconds(3600), 1}, clock);
  CountingProvider provider;
  Service service(
      provider, c, c, [](const CaptionRequest&, const CaptionResult& r) { return r.caption.text; },
      std::chrono::seconds(60));
  CaptionRequest fallback, model;
  fallback.content_description = "fallback caption";
  model.content_description = "model caption";
  auto first = service.generate(fallback);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->fallback);
  EXPECT_EQ(first->provider, "builtin");
  ASSERT_TRUE(service.generate(model));
  EXPECT_EQ(provider.calls, 2);
  clock.advance(59s);
  auto hit = service.generate(fallback);
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_TRUE(hit->fallback);  // travels with the cached entry
  EXPECT_EQ(provider.calls, 2);
  clock.advance(2s);
  EXPECT_FALSE(service.generate(fallback)->cache_hit);  // expired: the model is asked again
  auto kept = service.generate(model);
  EXPECT_TRUE(kept->cache_hit);
  EXPECT_EQ(kept->provider, "llm:test");
  EXPECT_EQ(provider.calls, 3);
}

TEST(L1Cache, AFallbackTtlIsShorterThanTheCacheTtl) {
  core::ManualClock clock;
  cache::L1Cache c({100, 1 << 20, std::chrono::seconds(3600), 1}, clock);
  ASSERT_TRUE(c.put(1, "fallback", "v", std::chrono::seconds(60)));
  ASSERT_TRUE(c.put(2, "model", "v"));
  std::string out;
  clock.advance(59s);
  EXPECT_TRUE(c.get(1, "fallback", out));
  clock.advance(2s);
  EXPECT_FALSE(c.get(1, "fallback", out));
  EXPECT_TRUE(c.get(2, "model", out));
}

}  // namespace
}  // namespace reelgen::captions::llm
