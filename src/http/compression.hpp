#pragma once
// Response compression by Accept-Encoding (RFC 9110 §12.5.3): zstd, br, gzip or identity, chosen
// by q-value (ties prefer that order), for compressible bodies of at least min_bytes. Never for
// streams (SSE), files or partial content.

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace reelgen::http {

enum class Coding { identity, zstd, br, gzip };

// The coding to answer with; identity when the client accepts none of ours.
Coding negotiate(std::string_view accept_encoding);
std::string_view coding_name(Coding coding);
// body in coding; identity returns it unchanged.
std::string encode(Coding coding, std::string_view body);

struct CompressionPolicy {
  bool enabled = true;
  std::size_t min_bytes = 1024;
};

// Whether responses of this type may be compressed (JSON, text, JavaScript, SVG).
bool compressible(std::string_view content_type);
// Compresses res's body for request when the policy, the type and the size allow, setting
// Content-Encoding; sets Vary: Accept-Encoding on every response of a compressible type.
void compress_response(const Request& request, Response& res, const CompressionPolicy& policy);

}  // namespace reelgen::http
