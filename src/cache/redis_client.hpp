#pragma once
// A bounded pool of blocking hiredis connections. Every connect and command has a timeout; after
// a failure the client answers "unavailable" at once for retry_after before it tries to connect
// again, so a Redis that is down costs a request nothing but a failed lookup. Call it only off the
// I/O threads (the blocking pool, background threads). TLS is not supported (hiredis 0.14).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

struct redisContext;

namespace reelgen::cache {

struct RedisClientConfig {
  core::RedisEndpoint endpoint;
  std::chrono::milliseconds timeout{200};  // connect, and each command's send and reply
  int pool_size = 16;                      // connections at most; callers beyond it wait `timeout`
  std::chrono::milliseconds retry_after{1000};  // fail fast this long after a failure
};

struct RedisReply {
  enum class Type { nil, string, integer, array, status };
  Type type = Type::nil;
  std::string str;  // string and status replies
  long long integer = 0;
  std::vector<RedisReply> elements;
  bool is_nil() const { return type == Type::nil; }
};

class RedisClient {
 public:
  RedisClient(RedisClientConfig config, const core::Clock& clock);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command. An error reply (e.g. NOSCRIPT) is ErrorCode::conflict with Redis's message;
  // a connection failure or timeout is ErrorCode::unavailable. Thread-safe.
  core::Result<RedisReply> command(std::span<const std::string_view> args);
  core::Result<RedisReply> command(std::initializer_list<std::string_view> args) {
    return command(std::span<const std::string_view>(args.begin(), args.size()));
  }

  // Whether the last command reached Redis (false from a failure until one succeeds).
  bool healthy() const;
  std::uint64_t failures() const;
  const RedisClientConfig& config() const { return config_; }

 private:
  core::Result<redisContext*> acquire();
  void release(redisContext* context, bool broken);
  core::Result<redisContext*> connect();
  void mark_down();

  RedisClientConfig config_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<redisContext*> idle_;
  int open_ = 0;
  bool healthy_ = true;
  std::chrono::steady_clock::time_point down_until_{};
  std::uint64_t failures_ = 0;
};

}  // namespace reelgen::cache
