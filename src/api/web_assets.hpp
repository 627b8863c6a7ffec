#pragma once
// The web studio's built files (web/dist), compiled into the binary by cmake/embed_assets.cmake.

#include <string_view>
#include <vector>

namespace reelgen::api {

struct WebAsset {
  std::string_view name;   // path under web/dist, e.g. "index.html", "assets/index-3f9a.js"
  std::string_view bytes;  // the file's content
};

const std::vector<WebAsset>& web_assets();

}  // namespace reelgen::api
