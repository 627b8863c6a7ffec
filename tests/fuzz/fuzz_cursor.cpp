// Listing cursors: anything is refused or names a place whose cursor reads back the same.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "jobs/cursor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cursor = reelgen::jobs::parse_cursor(text);
  if (!cursor) return 0;
  reelgen::store::Job job;
  job.created_ms = cursor->created_ms;
  job.id = cursor->id;
  auto again = reelgen::jobs::parse_cursor(reelgen::jobs::cursor_after(job));
  if (!again || again->created_ms != cursor->created_ms || again->id != cursor->id) std::abort();
  return 0;
}
