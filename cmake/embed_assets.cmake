# Turns the files under DIR (the web studio's built assets) into a C++ source at OUTPUT that
# defines reelgen::api::web_assets(), so the binary serves them without Node.js or the files.
# Run as: cmake -DDIR=<dir> -DOUTPUT=<file.cpp> -P embed_assets.cmake
file(GLOB_RECURSE files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(arrays "")
set(entries "")
set(index 0)
foreach(name IN LISTS files)
  file(READ ${DIR}/${name} bytes HEX)
  string(LENGTH "${bytes}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${bytes}")
  string(APPEND arrays "constexpr char k${index}[] = {${bytes}'\\0'};\n")
  string(APPEND entries "      {\"${name}\", std::string_view(k${index}, ${size})},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from web/dist by cmake/embed_assets.cmake at build time; do not edit.
#include \"api/web_assets.hpp\"

namespace reelgen::api {
namespace {
${arrays}}  // namespace

const std::vector<WebAsset>& web_assets() {
  static const std::vector<WebAsset> assets = {
${entries}  };
  return assets;
}

}  // namespace reelgen::api
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
