#pragma once
// Serves a file from disk with ETag, Last-Modified, conditional GET and byte ranges (206/416),
// as a browser's video player expects.

#include <filesystem>
#include <string>

#include "http/message.hpp"

namespace reelgen::api {

http::Response file_response(const http::Request& request, const http::Context& ctx,
                             const std::filesystem::path& path, std::string content_type);

}  // namespace reelgen::api
