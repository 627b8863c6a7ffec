#pragma once
// The renderer itself, in this process. Only reelgen-render and the pipeline's unit tests link it:
// FFmpeg, cairo, pango, flite and espeak-ng come with it. Everyone else calls video::render(),
// which runs reelgen-render as a child process (video.hpp).

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "video/video.hpp"

namespace reelgen::video::engine {

// What video::render() promises, done here: same arguments, same results.
core::Result<RenderSummary> render(const RenderRequest& request, const std::filesystem::path& out,
                                   const ProgressCallback& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

// A PNG of the avatar's face (size x size pixels, 32..1024).
core::Result<std::string> avatar_preview_png(std::string_view id, int size);

// What video::voice_preview_wav() promises, done here.
core::Result<std::string> voice_preview_wav(std::string_view id);

}  // namespace reelgen::video::engine
