#pragma once
// The opaque cursor of a job listing: where the next page starts, as (created, id) of the last
// job shown, so it stays valid when that job is deleted.

#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace reelgen::jobs {

// The cursor of the page that follows job.
std::string cursor_after(const store::Job& job);

// The place a cursor names; nullopt for text that cursor_after did not produce.
std::optional<store::JobCursor> parse_cursor(std::string_view text);

}  // namespace reelgen::jobs
