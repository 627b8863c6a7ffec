#include "captions/providers/llm/wire.hpp"

#include <boost/json.hpp>

namespace reelgen::captions::llm {
namespace {

namespace json = boost::json;

constexpr std::string_view kDialectNames[] = {"openai", "vllm", "llamacpp", "ollama"};

std::string_view length_rule(Length length) {
  switch (length) {
    case Length::short_:
      return "at most 80 characters, one sentence";
    case Length::medium:
      return "two to four sentences";
    case Length::long_:
      return "two short paragraphs";
  }
  return "two to four sentences";
}

std::string_view emoji_rule(EmojiDensity emoji) {
  switch (emoji) {
    case EmojiDensity::none:
      return "no emojis";
    case EmojiDensity::few:
      return "one or two emojis that fit the post";
    case EmojiDensity::many:
      return "several emojis that fit the post";
    case EmojiDensity::automatic:
      break;
  }
  return "emojis as the style suits, only ones that fit the post";
}

// The JSON schema every dialect constrains the answer to.
json::object caption_schema(int hashtag_count) {
  return {{"type", "object"},
          {"properties",
           {{"caption", {{"type", "string"}, {"maxLength", kMaxCaptionChars}}},
            {"hashtags",
             {{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", hashtag_count}}}}},
          {"required", json::array{"caption", "hashtags"}},
          {"additionalProperties", false}};
}

json::array messages(const Prompt& prompt) {
  return {json::object{{"role", "system"}, {"content", prompt.system}},
          json::object{{"role", "user"}, {"content", prompt.user}}};
}

void read_usage(const json::object& usage, ChatAnswer& out) {
  if (const auto* p = usage.if_contains("prompt_tokens"); p && p->is_int64()) {
    out.tokens_in = static_cast<std::uint64_t>(p->as_int64());
  }
  if (const auto* c = usage.if_contains("completion_tokens"); c && c->is_int64()) {
    out.tokens_out = static_cast<std::uint64_t>(c->as_int64());
  }
}

// OpenAI-style: {"choices":[{"index":0,"message":{"content":…}}],"usage":{…}}.
void read_openai_json(const json::object& doc, ChatAnswer& out) {
  const auto* choices = doc.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->as_array().empty()) {
    out.error = "no choices in the answer";
    return;
  }
  for (const auto& choice : choices->as_array()) {
    const auto* message = choice.is_object() ? choice.as_object().if_contains("message") : nullptr;
    const auto* content =
        message && message->is_object() ? message->as_object().if_contains("content") : nullptr;
    if (content == nullptr || !content->is_string()) {
      out.error = "a choice without message content";
      return;
    }
    out.contents.emplace_back(content->as_string());
  }
  if (const auto* usage = doc.if_contains("usage"); usage && usage->is_object()) {
    read_usage(usage->as_object(), out);
  }
}

// Ollama: {"message":{"content":…},"done":true,"prompt_eval_count":…,"eval_count":…}; streamed
// as one such object per line, the last with done true.
void read_ollama_object(const json::object& doc, std::string& content, bool& done,
                        ChatAnswer& out) {
  if (const auto* message = doc.if_contains("message"); message && message->is_object()) {
    if (const auto* c = message->as_object().if_contains("content"); c && c->is_string()) {
      content += c->as_string();
    }
  }
  if (const auto* d = doc.if_contains("done"); d && d->is_bool()) done = d->as_bool();
  if (const auto* p = doc.if_contains("prompt_eval_count"); p && p->is_int64()) {
    out.tokens_in = static_cast<std::uint64_t>(p->as_int64());
  }
  if (const auto* e = doc.if_contains("eval_count"); e && e->is_int64()) {
    out.tokens_out = static_cast<std::uint64_t>(e->as_int64());
  }
}

void read_ollama(std::string_view body, ChatAnswer& out) {
  std::string content;
  bool done = false;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    const auto line = body.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      out.error = "an answer line is not JSON";
      return;
    }
    read_ollama_object(v.as_object(), content, done, out);
  }
  if (!done) {
    out.error = "the answer ended before done";
    return;
  }
  out.contents.push_back(std::move(content));
}

}  // namespace

Dialect dialect_of(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kDialectNames); ++i) {
    if (kDialectNames[i] == name) return static_cast<Dialect>(i);
  }
  return Dialect::openai;  // auto
}

std::string_view name_of(Dialect dialect) { return kDialectNames[static_cast<int>(dialect)]; }

bool supports_n(Dialect dialect) { return dialect == Dialect::openai || dialect == Dialect::vllm; }

Prompt build_prompt(const CaptionRequest& r, const PromptFacts& facts,
                    const std::vector<std::string>& findings) {
  Prompt p;
  p.system =
      "You write Instagram captions. Answer with JSON only: {\"caption\": string, \"hashtags\": "
      "[string]}. The caption holds no hashtags; hashtags are letters, digits or '_' after '#', "
      "relevant to the post, no filler such as #instagood or #explore.";
  std::string& u = p.user;
  u += "Description: " + r.content_description + "\n";
  u += "Language: " + r.language + " (write the whole caption in it)\n";
  u += "Style: " + std::string(name_of(r.style, kStyleNames)) + "\n";
  u += "Content type: " + std::string(name_of(r.content_type, kContentTypeNames)) + "\n";
  u += "Length: " + std::string(length_rule(r.length)) + "; never more than 2200 characters\n";
  u += "Emojis: " + std::string(emoji_rule(r.emoji)) + "\n";
  u += r.cta ? "End with a call to action that fits the post.\n" : "No call to action.\n";
  u += "Hashtags: at most " + std::to_string(r.hashtag_count) + "\n";
  if (!r.audience.empty()) u += "Audience: " + r.audience + "\n";
  if (!r.brand_voice.empty()) u += "Brand voice: " + r.brand_voice + "\n";
  if (!r.keywords.empty()) {
    u += "Keywords that must appear in the caption:";
    for (const auto& k : r.keywords) u += " \"" + k + "\"";
    u += "\n";
  }
  if (!facts.subject.empty()) u += "Subject: " + facts.subject + "\n";
  u += "Intent: " + std::string(name_of(facts.intent, kIntentNames)) + "\n";
  if (!facts.niche.empty()) u += "Niche: " + facts.niche + "\n";
  if (!facts.facts.empty()) {
    u += "Facts to keep exactly as written:";
    for (const auto& f : facts.facts) u += " \"" + f.text + "\"";
    u += "\n";
  }
  if (!findings.empty()) {
    u += "Your previous answer was refused:";
    for (const auto& f : findings) u += "\n- " + f;
    u += "\nWrite it again without these problems.\n";
  }
  return p;
}

ChatCall chat_request(Dialect dialect, const Prompt& prompt, const CallOptions& o) {
  const int hashtag_limit = kMaxHashtags;
  json::object body{{"model", o.model}, {"messages", messages(prompt)}};
  json::object schema = caption_schema(hashtag_limit);
  if (dialect == Dialect::ollama) {
    body["stream"] = o.stream;
    body["format"] = std::move(schema);
    body["options"] = {{"temperature", o.temperature},
                       {"seed", static_cast<std::int64_t>(o.seed & 0x7fffffff)}};
    return {"/api/chat", json::serialize(body)};
  }
  body["temperature"] = o.temperature;
  body["seed"] = static_cast<std::int64_t>(o.seed & 0x7fffffff);
  if (o.n > 1) body["n"] = o.n;
  if (o.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  if (dialect == Dialect::vllm) {
    // Current vLLM reads structured_outputs; releases before 0.10 read guided_json.
    body["structured_outputs"] = {{"json", schema}};
    body["guided_json"] = std::move(schema);
  } else {
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema", {{"name", "caption"}, {"strict", true}, {"schema", std::move(schema)}}}};
  }
  return {"/chat/completions", json::serialize(body)};
}

ChatAnswer parse_chat_answer(Dialect dialect, std::string_view body, bool streamed) {
  ChatAnswer out;
  if (dialect == Dialect::ollama) {
    read_ollama(body, out);
    return out;
  }
  if (streamed) {
    StreamAnswer stream;
    stream.feed(body);
    return stream.finish();
  }
  boost::system::error_code ec;
  const json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) {
    out.error = "the answer is not a JSON object";
    return out;
  }
  read_openai_json(doc.as_object(), out);
  return out;
}

// Streamed chunks: {"choices":[{"index":i,"delta":{"content":…},"finish_reason":…}]}, usage in
// the last chunk when the server sends it.
StreamAnswer::StreamAnswer() : parser_([this](std::string_view data) { event(data); }) {}

void StreamAnswer::event(std::string_view data) {
  if (data == "[DONE]" || broken_) return;
  boost::system::error_code ec;
  const json::value chunk = json::parse(data, ec);
  if (ec || !chunk.is_object()) {
    broken_ = true;
    return;
  }
  const auto& doc = chunk.as_object();
  if (const auto* usage = doc.if_contains("usage"); usage && usage->is_object()) {
    read_usage(usage->as_object(), out_);
  }
  const auto* choices = doc.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return;
  for (const auto& c : choices->as_array()) {
    if (!c.is_object()) continue;
    const auto& choice = c.as_object();
    std::size_t index = 0;
    if (const auto* i = choice.if_contains("index"); i && i->is_int64() && i->as_int64() >= 0) {
      index = static_cast<std::size_t>(i->as_int64());
    }
    if (index >= 16) continue;
    if (parts_.size() <= index) {
      parts_.resize(index + 1);
      finished_.resize(index + 1);
    }
    if (const auto* delta = choice.if_contains("delta"); delta && delta->is_object()) {
      if (const auto* content = delta->as_object().if_contains("content");
          content && content->is_string()) {
        parts_[index] += content->as_string();
      }
    }
    if (const auto* reason = choice.if_contains("finish_reason"); reason && reason->is_string()) {
      finished_[index] = true;
    }
  }
}

ChatAnswer StreamAnswer::finish() {
  parser_.feed("\n\n");  // a last event without its blank line
  ChatAnswer out = std::move(out_);
  if (broken_) {
    out.error = "a stream event is not JSON";
  } else if (!parser_.done() || parts_.empty()) {
    out.error = "the stream ended before [DONE]";
  } else if (std::find(finished_.begin(), finished_.end(), false) != finished_.end()) {
    out.error = "the stream ended before every choice finished";
  } else {
    out.contents = std::move(parts_);
  }
  return out;
}

void SseParser::feed(std::string_view chunk) {
  pending_ += chunk;
  std::size_t start = 0;
  while (true) {
    const auto end = pending_.find('\n', start);
    if (end == std::string::npos) break;
    std::string_view l(pending_.data() + start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line(l);
    start = end + 1;
  }
  pending_.erase(0, start);
}

void SseParser::line(std::string_view l) {
  if (l.empty()) {  // the blank line that ends an event
    if (has_data_) {
      if (data_ == "[DONE]") done_ = true;
      on_data_(data_);
    }
    data_.clear();
    has_data_ = false;
    return;
  }
  if (l.front() == ':') return;  // a comment (keep-alive)
  const auto colon = l.find(':');
  const std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;  // event, id, retry: not used by chat servers
  if (has_data_) data_ += '\n';
  data_ += value;
  has_data_ = true;
}

ModelCaption read_model_caption(std::string_view content, std::string& error) {
  ModelCaption out;
  // Some servers wrap JSON mode answers in a code fence.
  auto first = content.find('{');
  auto last = content.rfind('}');
  if (first == std::string_view::npos || last == std::string_view::npos || last < first) {
    error = "the answer is not a JSON object";
    return out;
  }
  boost::system::error_code ec;
  const json::value doc = json::parse(content.substr(first, last - first + 1), ec);
  if (ec || !doc.is_object()) {
    error = "the answer is not a JSON object";
    return out;
  }
  const auto& o = doc.as_object();
  const auto* caption = o.if_contains("caption");
  if (caption == nullptr || !caption->is_string()) {
    error = "the answer has no \"caption\" string";
    return out;
  }
  out.text = std::string(caption->as_string());
  if (const auto* tags = o.if_contains("hashtags")) {
    if (!tags->is_array()) {
      error = "\"hashtags\" is not an array";
      return out;
    }
    for (const auto& t : tags->as_array()) {
      if (t.is_string()) out.hashtags.emplace_back(t.as_string());
    }
  }
  error.clear();
  return out;
}

}  // namespace reelgen::captions::llm
