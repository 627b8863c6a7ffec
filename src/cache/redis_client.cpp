#include "cache/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace reelgen::cache {
namespace {

using core::ErrorCode;

timeval to_timeval(std::chrono::milliseconds ms) {
  return {static_cast<time_t>(ms.count() / 1000),
          static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

RedisClient::RedisClient(RedisClientConfig config, const core::Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

RedisClient::~RedisClient() {
  for (auto* c : idle_) redisFree(c);
}

bool RedisClient::healthy() const {
  std::lock_guard lock(mutex_);
  return healthy_;
}

std::uint64_t RedisClient::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

void RedisClient::mark_down() {
  {
    std::lock_guard lock(mutex_);
    healthy_ = false;
    ++failures_;
    down_until_ = clock_.now() + config_.retry_after;
    for (auto* c : idle_) redisFree(c);
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  }
  available_.notify_all();  // callers waiting for a connection now fail fast
}

core::Result<redisContext*> RedisClient::connect() {
  const auto& e = config_.endpoint;
  redisContext* c = redisConnectWithTimeout(e.host.c_str(), e.port, to_timeval(config_.timeout));
  const auto give_up = [&](std::string why) -> core::Result<redisContext*> {
    if (c) redisFree(c);
    return core::fail(ErrorCode::unavailable,
                      "redis " + e.host + ":" + std::to_string(e.port) + ": " + why);
  };
  if (c == nullptr) return give_up("out of memory");
  if (c->err) return give_up(c->errstr);
  if (redisSetTimeout(c, to_timeval(config_.timeout)) != REDIS_OK) return give_up("set timeout");
  const auto run = [&](std::initializer_list<std::string> args) -> bool {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    const bool ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
    if (r) freeReplyObject(r);
    return ok;
  };
  if (!e.password.empty()) {
    const bool ok = e.user.empty() ? run({"AUTH", e.password}) : run({"AUTH", e.user, e.password});
    if (!ok) return give_up("AUTH refused");
  }
  if (e.db != 0 && !run({"SELECT", std::to_string(e.db)})) return give_up("SELECT refused");
  return c;
}

core::Result<redisContext*> RedisClient::acquire() {
  {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
    for (;;) {
      if (!healthy_ && clock_.now() < down_until_) {
        return core::fail(ErrorCode::unavailable, "redis unavailable (retrying shortly)");
      }
      if (!idle_.empty()) {
        redisContext* c = idle_.back();
        idle_.pop_back();
        return c;
      }
      if (open_ < config_.pool_size) {
        ++open_;
        break;
      }
      if (available_.wait_until(lock, deadline) == std::cv_status::timeout) {
        return core::fail(ErrorCode::unavailable, "redis pool exhausted");
      }
    }
  }
  auto c = connect();
  if (!c) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    mark_down();
  }
  return c;
}

void RedisClient::release(redisContext* c, bool broken) {
  {
    std::lock_guard lock(mutex_);
    if (broken) {
      redisFree(c);
      --open_;
    } else {
      idle_.push_back(c);
      healthy_ = true;
    }
  }
  available_.notify_one();
  if (broken) mark_down();
}

core::Result<RedisReply> RedisClient::command(std::span<const std::string_view> args) {
  auto context = acquire();
  if (!context) return std::unexpected(context.error());
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(*context, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (r == nullptr) {
    std::string why = (*context)->errstr;
    release(*context, /*broken=*/true);
    return core::fail(ErrorCode::unavailable, "redis: " + why);
  }
  core::Result<RedisReply> out = r->type == REDIS_REPLY_ERROR
                                     ? core::fail(ErrorCode::conflict, std::string(r->str, r->len))
                                     : core::Result<RedisReply>(convert(*r));
  freeReplyObject(r);
  release(*context, /*broken=*/false);
  return out;
}

}  // namespace reelgen::cache
