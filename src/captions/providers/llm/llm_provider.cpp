// The model provider: a caption from an OpenAI-compatible server, validated and repaired with
// the builtin engine's rules, and the builtin engine's own caption whenever the model fails.

#include <algorithm>
#include <condition_variable>
#include <set>

#include "captions/emojis.hpp"
#include "captions/engine.hpp"
#include "captions/hashtags.hpp"
#include "captions/provider.hpp"
#include "captions/providers/llm/breaker.hpp"
#include "captions/providers/llm/client.hpp"
#include "captions/providers/llm/metrics.hpp"
#include "captions/providers/llm/wire.hpp"
#include "captions/tokenizer.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"

namespace reelgen::captions {
namespace {

using namespace llm;

// At most max calls in flight, at most queue more waiting; a caller beyond both, or one that
// waited past its deadline, gets no slot and falls back.
class Slots {
 public:
  Slots(int max, std::size_t queue, LlmMetrics& metrics)
      : max_(max), queue_(queue), metrics_(metrics) {}

  bool acquire(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (in_flight_ >= max_) {
      if (waiting_ >= queue_) return false;
      ++waiting_;
      metrics_.queued.store(static_cast<std::int64_t>(waiting_));
      const bool got = free_.wait_for(lock, wait, [&] { return in_flight_ < max_; });
      --waiting_;
      metrics_.queued.store(static_cast<std::int64_t>(waiting_));
      if (!got) return false;
    }
    ++in_flight_;
    metrics_.in_flight.store(in_flight_);
    if (in_flight_ > metrics_.peak_in_flight.load()) metrics_.peak_in_flight.store(in_flight_);
    return true;
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
      metrics_.in_flight.store(in_flight_);
    }
    free_.notify_one();
  }

 private:
  const int max_;
  const std::size_t queue_;
  LlmMetrics& metrics_;
  std::mutex mutex_;
  std::condition_variable free_;
  int in_flight_ = 0;
  std::size_t waiting_ = 0;
};

// What the model wrote, checked: the caption with its scores, and what is wrong with it.
struct Checked {
  Caption caption;
  std::vector<std::string> findings;
};

class LlmProvider final : public Provider {
 public:
  LlmProvider(core::LlmConfig config, Endpoint endpoint, std::unique_ptr<detail::Engine> engine,
              const core::Clock& clock)
      : config_(std::move(config)),
        endpoint_(std::move(endpoint)),
        dialect_(dialect_of(config_.dialect)),
        engine_(std::move(engine)),
        breaker_(config_.breaker_failures, config_.breaker_cooldown, clock),
        client_(static_cast<std::size_t>(config_.max_concurrency), config_.ca_file),
        slots_(config_.max_concurrency, config_.queue, metrics_),
        label_("llm:" + config_.model) {}

  std::string_view name() const override { return label_; }

  std::string route(const CaptionRequest& request) const override {
    return use_model(request) ? label_ : "builtin";
  }

  const LlmMetrics* model_metrics() const override { return &metrics_; }

  core::Result<CaptionResult> generate(const CaptionRequest& request) const override {
    if (!use_model(request)) return builtin(request, false);
    const auto reading = engine_->read(request);
    if (auto written = write(request, reading)) return std::move(*written);
    metrics_.fallbacks.fetch_add(1, std::memory_order_relaxed);
    return builtin(request, true);
  }

  core::Result<Caption> score(const CaptionRequest& request, Caption caption) const override {
    caption.emojis = detail::emojis_in(caption.text);
    engine_->assess(request, engine_->read(request), caption);
    return caption;
  }

 private:
  bool use_model(const CaptionRequest& request) const {
    if (request.provider == ProviderChoice::configured) return config_.provider == "llm";
    return request.provider == ProviderChoice::llm;
  }

  core::Result<CaptionResult> builtin(const CaptionRequest& request, bool fallback) const {
    auto result = engine_->generate(request);
    if (!result) return result;
    result->provider = "builtin";
    result->fallback = fallback;
    return result;
  }

  // The model's captions for request, validated; retried once with the findings; nullopt when
  // the model failed or both answers were refused.
  std::optional<CaptionResult> write(const CaptionRequest& request,
                                     const detail::Engine::Reading& reading) const {
    if (!slots_.acquire(config_.timeout)) {
      metrics_.queue_full.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    struct Release {
      Slots& slots;
      ~Release() { slots.release(); }
    } release{slots_};

    const PromptFacts facts{reading.subject, reading.post.intent,
                            std::string(engine_->niches().at(reading.words.niche).name),
                            reading.post.facts};
    std::vector<std::string> findings;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (attempt == 1) metrics_.repairs.fetch_add(1, std::memory_order_relaxed);
      const Prompt prompt = build_prompt(request, facts, findings);
      std::vector<std::string> contents;
      std::string invalid;
      if (!ask(request, prompt, contents, invalid)) return std::nullopt;
      findings.clear();
      if (!invalid.empty()) findings.push_back(invalid);
      std::vector<Caption> captions;
      for (const auto& content : contents) {
        if (!findings.empty()) break;
        std::string shape;
        ModelCaption mc = read_model_caption(content, shape);
        if (!shape.empty()) {
          findings.push_back(shape);
          break;
        }
        Checked checked = check(request, reading, std::move(mc));
        if (!checked.findings.empty()) {
          findings = std::move(checked.findings);
          break;
        }
        captions.push_back(std::move(checked.caption));
      }
      if (findings.empty() && static_cast<int>(captions.size()) >= request.variants) {
        CaptionResult result;
        result.caption = std::move(captions.front());
        for (int i = 1; i < request.variants; ++i) {
          result.variants.push_back(std::move(captions[static_cast<std::size_t>(i)]));
        }
        result.provider = label_;
        return result;
      }
      if (findings.empty()) findings.push_back("fewer captions than asked for");
      metrics_.invalid.fetch_add(1, std::memory_order_relaxed);
    }
    return std::nullopt;
  }

  // One round: the contents of request.variants captions (one call with n, or one call each).
  // False when a call failed (network, timeout, status, breaker); invalid says why an answer
  // could not be read.
  bool ask(const CaptionRequest& request, const Prompt& prompt, std::vector<std::string>& contents,
           std::string& invalid) const {
    const int calls = supports_n(dialect_) ? 1 : request.variants;
    for (int i = 0; i < calls; ++i) {
      CallOptions options{config_.model, config_.temperature,
                          request.seed + static_cast<std::uint64_t>(i),
                          supports_n(dialect_) ? request.variants : 1, config_.stream};
      if (!call(chat_request(dialect_, prompt, options), contents, invalid)) return false;
      if (!invalid.empty()) return true;
    }
    return true;
  }

  bool call(const ChatCall& chat, std::vector<std::string>& contents, std::string& invalid) const {
    if (!breaker_.allow()) {
      metrics_.breaker_open.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    if (!config_.api_key.empty())
      headers.emplace_back("Authorization", "Bearer " + config_.api_key);
    metrics_.calls.fetch_add(1, std::memory_order_relaxed);
    const auto start = std::chrono::steady_clock::now();
    // A stream is read event by event as it arrives; the state outlives a caller that gave up.
    const bool stream = config_.stream && dialect_ != Dialect::ollama;
    auto events = stream ? std::make_shared<StreamAnswer>() : nullptr;
    HttpClient::BodySink sink;
    if (events) sink = [events](std::string_view piece) { events->feed(piece); };
    HttpOutcome out =
        client_.post(endpoint_, chat.path, chat.body, headers, config_.timeout, std::move(sink));
    metrics_.latency.record(std::chrono::steady_clock::now() - start);
    const bool ok = out.failure == CallFailure::none && out.reply.status == 200;
    publish_breaker(ok, out);
    if (!ok) {
      metrics_.failures.fetch_add(1, std::memory_order_relaxed);
      if (out.failure == CallFailure::timeout)
        metrics_.timeouts.fetch_add(1, std::memory_order_relaxed);
      core::log_warn(
          "model call failed",
          {{"model", config_.model}, {"status", out.reply.status}, {"error", out.error}});
      return false;
    }
    const bool streamed =
        out.reply.content_type.find("text/event-stream") != std::string::npos ||
        (dialect_ == Dialect::ollama && out.reply.content_type.find("ndjson") != std::string::npos);
    ChatAnswer answer = streamed && events ? events->finish()
                                           : parse_chat_answer(dialect_, out.reply.body, streamed);
    metrics_.tokens_in.fetch_add(answer.tokens_in, std::memory_order_relaxed);
    metrics_.tokens_out.fetch_add(answer.tokens_out, std::memory_order_relaxed);
    if (!answer.error.empty()) {
      invalid = answer.error;
      return true;
    }
    for (auto& c : answer.contents) contents.push_back(std::move(c));
    return true;
  }

  void publish_breaker(bool ok, const HttpOutcome& out) const {
    if (ok) {
      breaker_.record_success();
    } else if (out.failure == CallFailure::none && out.reply.status == 429) {
      breaker_.hold_for(out.reply.retry_after.value_or(std::chrono::seconds(1)));
    } else {
      breaker_.record_failure();
    }
    metrics_.breaker_state.store(static_cast<int>(breaker_.state()));
  }

  // Instagram's rules and the builtin's: the tags cleaned (never a finding), the text checked.
  Checked check(const CaptionRequest& request, const detail::Engine::Reading& reading,
                ModelCaption mc) const {
    Checked out;
    Caption& c = out.caption;
    c.text = core::normalize_space(mc.text);
    c.hashtags = clean_hashtags(request, mc.hashtags);
    c.emojis = detail::emojis_in(c.text);
    engine_->assess(request, reading, c);
    auto& f = out.findings;
    const std::size_t chars = core::utf8_length(c.text);
    if (c.text.empty()) f.push_back("the caption is empty");
    if (chars > kMaxCaptionChars) {
      f.push_back("the caption has " + std::to_string(chars) + " characters; at most 2200");
    }
    if (request.length == Length::short_ && chars > kShortCaptionChars) {
      f.push_back("a short caption has at most 80 characters; it had " + std::to_string(chars));
    }
    if (c.text.find('#') != std::string::npos) {
      f.push_back("hashtags go in the \"hashtags\" list, not in the caption");
    }
    const std::size_t lang = detail::language_index(request.language);
    if (const auto found = detect_language(c.text); found && *found != lang) {
      f.push_back("the caption must be in " + request.language + ", not " +
                  std::string(kLanguages[*found]));
    }
    const bool short_one = request.length == Length::short_;
    if (!short_one || c.facts_omitted.size() == c.facts.size()) {
      for (const auto& fact : c.facts_omitted) {
        if (short_one && &fact != &c.facts_omitted.front()) break;
        f.push_back("the fact \"" + fact.text + "\" is missing; write it exactly");
      }
    }
    const std::string lower_text = detail::lower_latin(c.text);
    for (const auto& k : request.keywords) {
      if (lower_text.find(detail::lower_latin(k)) == std::string::npos) {
        f.push_back("the keyword \"" + k + "\" is missing");
      }
    }
    if (request.emoji == EmojiDensity::none && !c.emojis.empty()) {
      f.push_back("no emojis were asked for");
    }
    return out;
  }

  // Each tag as Instagram takes it ('#' + letters, digits, '_'), unique ignoring case, neither
  // banned nor (unless asked for) a broad reach tag, at most hashtag_count.
  std::vector<std::string> clean_hashtags(const CaptionRequest& request,
                                          const std::vector<std::string>& tags) const {
    const std::size_t lang = detail::language_index(request.language);
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& tag : tags) {
      if (static_cast<int>(out.size()) >= request.hashtag_count) break;
      std::string_view raw = tag;
      while (!raw.empty() && raw.front() == '#') raw.remove_prefix(1);
      std::string body = detail::hashtag_body(raw, lang != 0);
      if (body.empty() || engine_->banned_hashtags().contains(body)) continue;
      if (!request.generic_hashtags && is_reach_tag(body, lang)) continue;
      if (!seen.insert(body).second) continue;
      out.push_back("#" + body);
    }
    return out;
  }

  bool is_reach_tag(std::string_view body, std::size_t lang) const {
    const auto& reach = engine_->niches().reach_hashtags(lang);
    return std::any_of(reach.begin(), reach.end(),
                       [&](const detail::NicheTag& t) { return t.tag == body; });
  }

  // The language whose function words the text uses most, when it uses at least two.
  std::optional<std::size_t> detect_language(std::string_view text) const {
    std::array<int, kLanguages.size()> counts{};
    const std::string lower = detail::lower_latin(text);
    std::size_t i = 0;
    while (i < lower.size()) {
      while (i < lower.size() && !is_word_byte(lower[i])) ++i;
      std::size_t end = i;
      while (end < lower.size() && is_word_byte(lower[end])) ++end;
      if (end > i) {
        const std::string_view word(lower.data() + i, end - i);
        for (std::size_t l = 0; l < kLanguages.size(); ++l) {
          if (engine_->language(l).stopwords().contains(word)) ++counts[l];
        }
      }
      i = end;
    }
    const auto best = std::max_element(counts.begin(), counts.end());
    if (*best < 2) return std::nullopt;
    const auto index = static_cast<std::size_t>(best - counts.begin());
    return index;
  }

  static bool is_word_byte(char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return std::isalpha(u) || u >= 0x80 || ch == '\'';
  }

  const core::LlmConfig config_;
  const Endpoint endpoint_;
  const Dialect dialect_;
  std::unique_ptr<detail::Engine> engine_;
  mutable LlmMetrics metrics_;
  mutable CircuitBreaker breaker_;
  mutable HttpClient client_;
  mutable Slots slots_;
  const std::string label_;
};

}  // namespace

core::Result<std::unique_ptr<Provider>> make_llm_provider(const core::LlmConfig& config,
                                                          const core::Clock& clock) {
  auto endpoint = parse_base_url(config.base_url);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto engine = detail::Engine::load();
  if (!engine) return std::unexpected(engine.error());
  return std::unique_ptr<Provider>(
      std::make_unique<LlmProvider>(config, std::move(*endpoint), std::move(*engine), clock));
}

}  // namespace reelgen::captions
