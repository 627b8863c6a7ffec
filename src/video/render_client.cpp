// video::render() and video::avatar_preview_png() run reelgen-render as a child process, so the
// server and the CLI never map FFmpeg, cairo, pango, flite or espeak-ng (about 30 MB of pages and
// 160 libraries), a crash in an encoder costs one render instead of the server, and a render's
// memory goes back to the system when it ends.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/json.hpp"
#include "core/unique_fd.hpp"
#include "video/catalog.hpp"
#include "video/video.hpp"
#include "video/wire.hpp"

extern char** environ;

namespace reelgen::video {
namespace {

using core::ErrorCode;
using core::UniqueFd;

// How long a cancelled renderer may take to stop before it is killed. It stops within a frame or
// a piece of speech; this only bounds a renderer that hangs.
constexpr std::chrono::seconds kCancelGrace{10};

std::filesystem::path renderer_path() {
  if (const char* env = std::getenv("REELGEN_RENDER_BIN"); env != nullptr && *env != '\0')
    return env;
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "reelgen-render";
}

// A running reelgen-render with its stdin and stdout on pipes; its stderr is ours, so its log
// lines land beside the caller's. Destroying it kills and reaps the child if it still runs.
class Child {
 public:
  static core::Result<Child> spawn(const std::vector<std::string>& args) {
    static std::once_flag ignore_sigpipe;
    // A renderer that dies early must not take its parent down with a write to a closed pipe.
    std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return core::fail(ErrorCode::internal, "cannot create a pipe");
    UniqueFd in_read(in[0]), in_write(in[1]);
    if (::pipe2(out, O_CLOEXEC) != 0)
      return core::fail(ErrorCode::internal, "cannot create a pipe");
    UniqueFd out_read(out[0]), out_write(out[1]);
    const std::string path = renderer_path().string();
    std::vector<std::string> argv_text{path};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    argv_text.push_back("--parent=" + std::to_string(::getpid()));
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
    // The server's sockets and databases stay with the server.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    // The renderer starts with no signal blocked and SIGPIPE at its default, whatever the
    // calling thread had: SIGTERM must reach it.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, pipe;
    sigemptyset(&none);
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &pipe);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      return core::fail(ErrorCode::internal,
                        "cannot start the renderer " + path + ": " + std::strerror(rc));
    }
    return Child(pid, std::move(in_write), std::move(out_read));
  }

  Child(Child&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)),
        in_(std::move(other.in_)),
        out_(std::move(other.out_)) {}
  Child& operator=(Child&&) = delete;
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait();
  }

  pid_t pid() const { return pid_; }
  int out() const { return out_.get(); }
  void signal(int sig) const { ::kill(pid_, sig); }

  // Writes text to the child's stdin and closes it; false when the child is gone.
  bool send(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(in_.get(), text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    in_.reset();
    return text.empty();
  }

  // Reads what the child wrote into buffer; false at the end of its output.
  bool read_some(std::string& buffer) {
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::read(out_.get(), chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
  }

  // Reaps the child: its exit status as waitpid gives it.
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  Child(pid_t pid, UniqueFd in, UniqueFd out)
      : pid_(pid), in_(std::move(in)), out_(std::move(out)) {}

  pid_t pid_;
  UniqueFd in_, out_;
};

// Turns the caller's cancel flag into SIGTERM (the renderer stops within a frame and removes its
// files), and into SIGKILL when the renderer is still there kCancelGrace later.
class CancelWatch {
 public:
  explicit CancelWatch(const std::atomic<bool>* flag) : flag_(flag) {}

  void check(const Child& child) {
    if (flag_ == nullptr || killed_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!sent_ && flag_->load(std::memory_order_relaxed)) {
      child.signal(SIGTERM);
      sent_ = true;
      sent_at_ = now;
    } else if (sent_ && now - sent_at_ > kCancelGrace) {
      child.signal(SIGKILL);
      killed_ = true;
    }
  }
  bool sent() const { return sent_; }

 private:
  const std::atomic<bool>* flag_;
  bool sent_ = false, killed_ = false;
  std::chrono::steady_clock::time_point sent_at_;
};

std::string describe_exit(int status) {
  if (WIFSIGNALED(status))
    return "the renderer was killed by signal " + std::to_string(WTERMSIG(status));
  return "the renderer exited with status " + std::to_string(WEXITSTATUS(status));
}

// A renderer that died cannot remove its temporary files: ours to do. They are named
// ".<name>.partial-<pid>-<n>" beside the output.
void remove_partials(const std::filesystem::path& out, pid_t pid) {
  const std::string marker = ".partial-" + std::to_string(pid) + "-";
  std::error_code ec;
  const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(marker) != std::string::npos) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

// The outcome of one line of the renderer's output, when it is the last one.
std::optional<core::Result<RenderSummary>> handle_line(std::string_view line,
                                                       const ProgressCallback& progress) {
  auto doc = core::parse_json_object(line);
  if (!doc) return core::fail(ErrorCode::internal, "the renderer wrote a line that is not JSON");
  if (const auto* p = doc->if_contains("progress"); p && p->is_object()) {
    const auto* stage = p->get_object().if_contains("stage");
    const auto* percent = p->get_object().if_contains("percent");
    if (progress && stage && stage->is_string() && percent && percent->is_number()) {
      progress(std::string_view(stage->get_string()), percent->to_number<double>());
    }
    return std::nullopt;
  }
  if (const auto* s = doc->if_contains("summary")) return wire::summary_from_json(*s);
  if (const auto* e = doc->if_contains("error")) return std::unexpected(wire::error_from_json(*e));
  return core::fail(ErrorCode::internal, "the renderer wrote an unknown message");
}

}  // namespace

core::Result<RenderSummary> render(const RenderRequest& request, const std::filesystem::path& out,
                                   const ProgressCallback& progress,
                                   const std::atomic<bool>* cancel) {
  auto child = Child::spawn({"video", out.string()});
  if (!child) return std::unexpected(child.error());
  child->send(boost::json::serialize(wire::to_json(request)));
  std::optional<core::Result<RenderSummary>> outcome;
  std::string buffer;
  CancelWatch watch(cancel);
  for (bool open = true; open;) {
    watch.check(*child);
    pollfd fd{child->out(), POLLIN, 0};
    if (::poll(&fd, 1, 50) <= 0) continue;
    open = child->read_some(buffer);
    for (std::size_t nl; (nl = buffer.find('\n')) != std::string::npos; buffer.erase(0, nl + 1)) {
      if (auto last = handle_line(std::string_view(buffer).substr(0, nl), progress))
        outcome = std::move(last);
    }
  }
  const pid_t pid = child->pid();
  const int status = child->wait();
  if (outcome) return std::move(*outcome);
  remove_partials(out, pid);
  if (watch.sent()) return core::fail(ErrorCode::unavailable, "render cancelled");
  return core::fail(ErrorCode::internal, describe_exit(status) + " before finishing the video");
}

namespace {

// Runs reelgen-render with args and returns all it wrote; what names the result in errors.
core::Result<std::string> child_output(std::vector<std::string> args, std::string_view what) {
  auto child = Child::spawn(std::move(args));
  if (!child) return std::unexpected(child.error());
  child->send({});
  std::string output;
  while (child->read_some(output)) {
  }
  const int status = child->wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || output.empty()) {
    return core::fail(ErrorCode::internal,
                      describe_exit(status) + " without making the " + std::string(what));
  }
  return output;
}

}  // namespace

core::Result<std::string> avatar_preview_png(std::string_view id, int size) {
  if (find_avatar(id) == nullptr)
    return core::fail(ErrorCode::not_found, "no avatar " + std::string(id));
  if (size < 32 || size > 1024)
    return std::unexpected(core::Error::invalid("size", "range", "size must be 32..1024"));
  return child_output({"preview", std::string(id), std::to_string(size)}, "preview");
}

core::Result<std::string> voice_preview_wav(std::string_view id) {
  if (find_voice(id) == nullptr)
    return core::fail(ErrorCode::not_found, "no voice " + std::string(id));
  return child_output({"voice-preview", std::string(id)}, "voice preview");
}

}  // namespace reelgen::video
