#include "api/caption_dto.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "core/json.hpp"
#include "core/utf8.hpp"

namespace reelgen::api {
namespace {

using captions::CaptionRequest;

// Hand-written so scores print as 84.2 rather than Boost.JSON's 8.42E1; strings are escaped by
// Boost.JSON.
void append_string(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  out += boost::json::serialize(boost::json::string_view(value.data(), value.size()));
  out += ',';
}

void append_number(std::string& out, std::string_view key, double value, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  out += '"';
  out += key;
  out += "\":";
  out += buf;
  out += ',';
}

void append_list(std::string& out, std::string_view key, const std::vector<std::string>& items) {
  out += '"';
  out += key;
  out += "\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += boost::json::serialize(boost::json::string_view(items[i].data(), items[i].size()));
  }
  out += "],";
}

// [{"text": "...", "kind": "price"}, ...]
void append_facts(std::string& out, std::string_view key,
                  const std::vector<captions::Fact>& facts) {
  out += '"';
  out += key;
  out += "\":[";
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"text\":";
    out += boost::json::serialize(
        boost::json::string_view(facts[i].text.data(), facts[i].text.size()));
    out += ",\"kind\":\"";
    out += captions::name_of(facts[i].kind, captions::kFactKindNames);
    out += "\"}";
  }
  out += "],";
}

// The fields of one caption, each followed by a comma.
void append_caption(std::string& out, const captions::Caption& c) {
  append_string(out, "caption", c.text);
  append_list(out, "hashtags", c.hashtags);
  append_list(out, "emojis", c.emojis);
  append_number(out, "quality_score", c.quality_score, "%.1f");
  append_number(out, "engagement_score", c.engagement_score, "%.1f");
  append_number(out, "readability_score", c.readability_score, "%.1f");
  append_string(out, "sentiment", c.sentiment);
  append_string(out, "tone", c.tone);
  append_number(out, "word_count", c.word_count, "%.0f");
  append_number(out, "character_count", c.character_count, "%.0f");
  append_string(out, "niche", c.niche);
  append_number(out, "niche_confidence", c.niche_confidence, "%.2f");
  append_string(out, "intent", captions::name_of(c.intent, captions::kIntentNames));
  append_facts(out, "facts", c.facts);
  append_facts(out, "facts_omitted", c.facts_omitted);
}

}  // namespace

std::optional<CaptionRequest> read_caption_request(const boost::json::object& object,
                                                   const std::string& prefix,
                                                   std::vector<core::FieldError>& errors) {
  const std::size_t errors_before = errors.size();
  core::ObjectReader in(object, prefix, errors);
  CaptionRequest r;
  if (auto v = in.text("content_description", true, 5, 2000)) r.content_description = std::move(*v);
  if (auto v = in.choice("style", captions::kStyleNames))
    r.style = static_cast<captions::Style>(*v);
  if (auto v = in.integer("hashtag_count", 0, captions::kMaxHashtags))
    r.hashtag_count = static_cast<int>(*v);
  if (auto v = in.choice("optimization_level", captions::kOptimizationLevelNames)) {
    r.optimization_level = static_cast<captions::OptimizationLevel>(*v);
  }
  if (auto v = in.choice("language", captions::kLanguages))
    r.language = std::string(captions::kLanguages[*v]);
  if (auto v = in.text("audience", false, 0, 200)) r.audience = std::move(*v);
  if (auto v = in.choice("content_type", captions::kContentTypeNames)) {
    r.content_type = static_cast<captions::ContentType>(*v);
  }
  if (const auto* keywords = in.array("keywords", 0, 20)) {
    for (std::size_t i = 0; i < keywords->size(); ++i) {
      const auto& k = (*keywords)[i];
      const std::string field = "keywords[" + std::to_string(i) + "]";
      if (!k.is_string()) {
        in.add_error(field, "type", "must be a string");
        continue;
      }
      if (auto bad = core::forbidden_code_point(k.get_string())) {
        in.add_error(field, "characters", core::forbidden_message(*bad));
        continue;
      }
      std::string word = core::normalize_space(k.get_string());
      const auto length = core::utf8_length(word);
      if (length < 1 || length > 50) {
        in.add_error(field, "length", "must be 1 to 50 characters");
        continue;
      }
      r.keywords.push_back(std::move(word));
    }
  }
  if (auto v = in.text("brand_voice", false, 0, 200)) r.brand_voice = std::move(*v);
  if (auto v = in.integer("variants", 1, 5)) r.variants = static_cast<int>(*v);
  if (auto v = in.integer("seed", 0, INT64_MAX)) r.seed = static_cast<std::uint64_t>(*v);
  if (auto v = in.choice("length", captions::kLengthNames))
    r.length = static_cast<captions::Length>(*v);
  if (auto v = in.choice("emoji", captions::kEmojiDensityNames)) {
    r.emoji = static_cast<captions::EmojiDensity>(*v);
  }
  if (auto v = in.boolean("cta")) r.cta = *v;
  if (auto v = in.boolean("generic_hashtags")) r.generic_hashtags = *v;
  if (auto v = in.choice("provider", captions::kProviderNames)) {
    r.provider = *v == 0 ? captions::ProviderChoice::builtin : captions::ProviderChoice::llm;
  }
  // Accepted for the caller's bookkeeping; not part of the output.
  in.text("client_id", false, 0, 128);
  in.reject_unknown();
  if (errors.size() != errors_before) return std::nullopt;
  return r;
}

core::Result<CaptionRequest> parse_caption_request(std::string_view body) {
  auto fields = core::parse_json_object(body);
  if (!fields) return std::unexpected(fields.error());
  std::vector<core::FieldError> errors;
  auto request = read_caption_request(*fields, "", errors);
  if (!request) {
    core::Error e = core::Error::invalid_fields(std::move(errors));
    if (e.fields.size() > 1) e.message = "the request has invalid fields";
    return std::unexpected(std::move(e));
  }
  return *request;
}

std::string render_caption_fragment(const CaptionRequest& request,
                                    const captions::CaptionResult& result) {
  std::string out;
  out.reserve(1024);
  append_caption(out, result.caption);
  if (!result.variants.empty()) {
    out += "\"variants\":[";
    for (std::size_t i = 0; i < result.variants.size(); ++i) {
      if (i > 0) out += ',';
      out += '{';
      append_caption(out, result.variants[i]);
      out.back() = '}';
    }
    out += "],";
  }
  append_string(out, "style", captions::name_of(request.style, captions::kStyleNames));
  append_string(out, "language", request.language);
  append_string(out, "content_type",
                captions::name_of(request.content_type, captions::kContentTypeNames));
  append_string(out, "optimization_level",
                captions::name_of(request.optimization_level, captions::kOptimizationLevelNames));
  append_string(out, "length", captions::name_of(request.length, captions::kLengthNames));
  append_string(out, "emoji", captions::name_of(request.emoji, captions::kEmojiDensityNames));
  out += request.cta ? "\"cta\":true," : "\"cta\":false,";
  out += request.generic_hashtags ? "\"generic_hashtags\":true," : "\"generic_hashtags\":false,";
  append_string(out, "api_version", kCaptionApiVersion);
  out.pop_back();  // the last comma
  return out;
}

std::string render_caption_response(std::string_view request_id, std::string_view fragment,
                                    double processing_ms, const ResponseOrigin& origin) {
  std::string out;
  out.reserve(fragment.size() + 160);
  out += "{\"request_id\":\"";
  out += request_id;  // ids are generated or validated to [A-Za-z0-9._-]
  out += "\",";
  out += fragment;
  out += ",\"performance_metrics\":{\"processing_time\":";
  char number[32];
  const auto written =
      std::to_chars(number, number + sizeof number, processing_ms, std::chars_format::fixed, 4);
  out.append(number, written.ptr);
  out += origin.cache_hit ? ",\"cache_hit\":true,\"provider\":\""
                          : ",\"cache_hit\":false,\"provider\":\"";
  out += origin.provider;  // "builtin" or "llm:" + a configured model name
  out += origin.fallback ? "\",\"fallback\":true}}" : "\",\"fallback\":false}}";
  return out;
}

}  // namespace reelgen::api
