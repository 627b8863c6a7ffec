#pragma once
// The wire protocol of OpenAI-compatible chat servers, per dialect: the prompt built from a
// request and its analysis, the request body with structured output, and the answer read back
// from JSON or server-sent events. Plain functions of values, no sockets.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption.hpp"

namespace reelgen::captions::llm {

// How a server wants structured output. auto is openai.
enum class Dialect { openai, vllm, llamacpp, ollama };
Dialect dialect_of(std::string_view name);
std::string_view name_of(Dialect dialect);
// Whether one call returns several choices (n); otherwise variants are several calls.
bool supports_n(Dialect dialect);

// What the builtin analysis read from the description, for the prompt.
struct PromptFacts {
  std::string subject;
  Intent intent = Intent::moment;
  std::string niche;
  std::vector<Fact> facts;  // must appear verbatim
};

struct Prompt {
  std::string system;
  std::string user;
};

// findings: what a previous answer got wrong, said to the model on the retry.
Prompt build_prompt(const CaptionRequest& request, const PromptFacts& facts,
                    const std::vector<std::string>& findings);

struct ChatCall {
  std::string path;  // relative to the base URL: "/chat/completions" or (Ollama) "/api/chat"
  std::string body;  // JSON
};

struct CallOptions {
  std::string model;
  double temperature = 0.7;
  std::uint64_t seed = 0;
  int n = 1;
  bool stream = false;
};

ChatCall chat_request(Dialect dialect, const Prompt& prompt, const CallOptions& options);

// The model's answer: one content string per choice, and the tokens it reports in usage.
struct ChatAnswer {
  std::vector<std::string> contents;
  std::uint64_t tokens_in = 0;
  std::uint64_t tokens_out = 0;
  std::string error;  // not empty when the body is not a complete answer
};

// body is JSON, or (streamed) text/event-stream for openai-style dialects and JSON lines for
// Ollama.
ChatAnswer parse_chat_answer(Dialect dialect, std::string_view body, bool streamed);

// Server-sent events, fed in pieces as they arrive: an event may be split anywhere, across
// lines or inside a line. Calls on_data with each event's data (multi-line data joined by \n).
class SseParser {
 public:
  explicit SseParser(std::function<void(std::string_view data)> on_data)
      : on_data_(std::move(on_data)) {}
  void feed(std::string_view chunk);
  // Whether a "data: [DONE]" event was seen.
  bool done() const { return done_; }

 private:
  void line(std::string_view line);
  std::function<void(std::string_view)> on_data_;
  std::string pending_;  // an incomplete line
  std::string data_;     // the data of the event being read
  bool has_data_ = false;
  bool done_ = false;
};

// An openai-style streamed answer (server-sent chunks with deltas per choice), read as its
// bytes arrive in pieces of any size.
class StreamAnswer {
 public:
  StreamAnswer();
  StreamAnswer(const StreamAnswer&) = delete;
  StreamAnswer& operator=(const StreamAnswer&) = delete;
  void feed(std::string_view bytes) { parser_.feed(bytes); }
  // After the last byte: the contents, or an error when the stream was cut or broken.
  ChatAnswer finish();

 private:
  void event(std::string_view data);
  std::vector<std::string> parts_;
  std::vector<bool> finished_;
  bool broken_ = false;
  ChatAnswer out_;
  SseParser parser_;
};

// The caption the model wrote, read from its content (JSON {"caption", "hashtags"}).
struct ModelCaption {
  std::string text;
  std::vector<std::string> hashtags;
};
// Empty error when content has the expected shape.
ModelCaption read_model_caption(std::string_view content, std::string& error);

}  // namespace reelgen::captions::llm
