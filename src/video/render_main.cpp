// reelgen-render: the renderer process that video::render() starts (wire.hpp has the protocol).
//   reelgen-render video OUT [--parent=PID]         request on stdin, progress and result on stdout
//   reelgen-render preview AVATAR SIZE [--parent=PID]  an avatar's PNG on stdout
// SIGTERM or SIGINT cancels a render within a frame; the temporary files go with it. With
// --parent the renderer also cancels when that process dies, so a killed server leaves no
// renderer behind.

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "video/engine.hpp"
#include "video/wire.hpp"

namespace {

using namespace reelgen;

std::atomic<bool> g_cancel{false};

void write_line(const boost::json::object& message) {
  const std::string line = boost::json::serialize(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

int fail(const core::Error& error) {
  write_line({{"error", video::wire::to_json(error)}});
  return 0;  // the error is the answer; a non-zero status means the renderer itself broke
}

int render_video(const std::string& out) {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto doc = core::parse_json(input);
  if (!doc) return fail(doc.error());
  auto request = video::wire::request_from_json(*doc);
  if (!request) return fail(request.error());
  auto summary = video::engine::render(
      *request, out,
      [](std::string_view stage, double percent) {
        write_line({{"progress", {{"stage", stage}, {"percent", percent}}}});
      },
      &g_cancel);
  if (!summary) return fail(summary.error());
  write_line({{"summary", video::wire::to_json(*summary)}});
  return 0;
}

int render_preview(const std::string& id, std::string_view size_text) {
  int size = 0;
  std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
  auto png = video::engine::avatar_preview_png(id, size);
  if (!png) {
    std::fprintf(stderr, "reelgen-render: %s\n", png.error().message.c_str());
    return 1;
  }
  std::fwrite(png->data(), 1, png->size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int render_voice_preview(const std::string& id) {
  auto wav = video::engine::voice_preview_wav(id);
  if (!wav) {
    std::fprintf(stderr, "reelgen-render: %s\n", wav.error().message.c_str());
    return 1;
  }
  std::fwrite(wav->data(), 1, wav->size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

void on_signal(int) { g_cancel.store(true); }

// Cancels when the parent goes away; true when it already has.
bool follow_parent(std::string_view pid_text) {
  pid_t parent = 0;
  std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), parent);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  return ::getppid() != parent;
}

}  // namespace

int main(int argc, char** argv) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--parent=")) {
      if (follow_parent(arg.substr(9))) return 1;
    } else {
      args.emplace_back(arg);
    }
  }
  if (args.size() == 2 && args[0] == "video") return render_video(args[1]);
  if (args.size() == 3 && args[0] == "preview") return render_preview(args[1], args[2]);
  if (args.size() == 2 && args[0] == "voice-preview") return render_voice_preview(args[1]);
  std::fprintf(stderr,
               "usage: reelgen-render video OUT < request.json\n"
               "       reelgen-render preview AVATAR SIZE > avatar.png\n"
               "       reelgen-render voice-preview VOICE > voice.wav\n");
  return 2;
}
