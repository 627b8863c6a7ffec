#include "cache/redis_cache.hpp"

#include <zstd.h>

#include <algorithm>

#include "core/hash.hpp"

namespace reelgen::cache {

// zstd's fastest levels: a caption compresses in microseconds, the round trip dominates.
constexpr int kZstdLevel = 3;

std::string encode_value(std::string_view value, std::size_t compress_min_bytes) {
  std::string out;
  if (value.size() >= compress_min_bytes) {
    out.resize(1 + ZSTD_compressBound(value.size()));
    const std::size_t n =
        ZSTD_compress(out.data() + 1, out.size() - 1, value.data(), value.size(), kZstdLevel);
    if (!ZSTD_isError(n) && n < value.size() - value.size() / 10) {
      out[0] = 'z';
      out.resize(1 + n);
      return out;
    }
  }
  out.clear();
  out.reserve(1 + value.size());
  out += 'r';
  out += value;
  return out;
}

bool decode_value(std::string_view stored, std::string& out) {
  if (stored.empty()) return false;
  const std::string_view body = stored.substr(1);
  if (stored[0] == 'r') {
    out.assign(body);
    return true;
  }
  if (stored[0] != 'z') return false;
  const auto size = ZSTD_getFrameContentSize(body.data(), body.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20)) {
    return false;
  }
  out.resize(size);
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), body.data(), body.size());
  return !ZSTD_isError(n) && n == size;
}

namespace {

// A stored entry: its expiry in Unix milliseconds (8 bytes, little-endian), then encode_value's.
std::string with_expiry(std::int64_t expires_ms, std::string_view encoded) {
  std::string out(8, '\0');
  const auto v = static_cast<std::uint64_t>(expires_ms);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
  out += encoded;
  return out;
}

bool split_expiry(std::string_view stored, std::int64_t& expires_ms, std::string_view& encoded) {
  if (stored.size() < 9) return false;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(stored[i])) << (8 * i);
  }
  expires_ms = static_cast<std::int64_t>(v);
  encoded = stored.substr(8);
  return true;
}

}  // namespace

RedisCache::RedisCache(RedisClient& client, RedisCacheConfig config, const core::Clock& clock)
    : client_(client), config_(std::move(config)), clock_(clock) {}

std::string RedisCache::redis_key(std::string_view key) const {
  // 128 bits of SHA-256: fixed length however long the description, no collisions in practice.
  return config_.prefix + core::sha256_hex(key).substr(0, 32);
}

bool RedisCache::get(std::uint64_t, std::string_view key, std::string& out, bool count_miss,
                     std::optional<std::chrono::seconds>* life_left) {
  const auto begin = std::chrono::steady_clock::now();
  const bool hit = lookup(key, out, count_miss, life_left);
  lookup_latency_.record(std::chrono::steady_clock::now() - begin);
  return hit;
}

bool RedisCache::lookup(std::string_view key, std::string& out, bool count_miss,
                        std::optional<std::chrono::seconds>* life_left) {
  const std::string k = redis_key(key);
  auto reply = client_.command({"GET", k});
  std::int64_t expires_ms = 0;
  std::string_view encoded;
  if (!reply) {
    errors_.fetch_add(1, std::memory_order_relaxed);
  } else if (reply->type == RedisReply::Type::string &&
             split_expiry(reply->str, expires_ms, encoded) && decode_value(encoded, out)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (life_left) {
      const std::int64_t left_ms = expires_ms - core::unix_ms(clock_.wall());
      *life_left = std::chrono::seconds(std::max<std::int64_t>(1, left_ms / 1000));
    }
    return true;
  }
  if (count_miss) misses_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

bool RedisCache::put(std::uint64_t, std::string_view key, std::string value,
                     std::optional<std::chrono::seconds> ttl) {
  const auto life = ttl ? std::min(*ttl, config_.ttl) : config_.ttl;
  const std::int64_t expires_ms =
      core::unix_ms(clock_.wall()) + std::chrono::milliseconds(life).count();
  const std::string stored =
      with_expiry(expires_ms, encode_value(value, config_.compress_min_bytes));
  const std::string k = redis_key(key);
  const std::string ms = std::to_string(std::chrono::milliseconds(life).count());
  auto reply = client_.command({"SET", k, stored, "PX", ms});
  if (!reply) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  writes_.fetch_add(1, std::memory_order_relaxed);
  raw_bytes_.fetch_add(value.size(), std::memory_order_relaxed);
  stored_bytes_.fetch_add(stored.size(), std::memory_order_relaxed);
  return true;
}

std::optional<std::chrono::milliseconds> RedisCache::remaining_ttl(std::string_view key) {
  auto reply = client_.command({"PTTL", redis_key(key)});
  if (!reply || reply->type != RedisReply::Type::integer || reply->integer < 0) return std::nullopt;
  return std::chrono::milliseconds(reply->integer);
}

L2Stats RedisCache::stats() const {
  return {hits_.load(),   misses_.load(),    errors_.load(),
          writes_.load(), raw_bytes_.load(), stored_bytes_.load()};
}

}  // namespace reelgen::cache
