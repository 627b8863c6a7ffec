#pragma once
// The jobs table's columns in the order both backends read them into a Job; not part of the
// store's public interface.

namespace reelgen::store::detail {

inline constexpr const char* kJobColumns =
    "id, key_id, status, stage, progress, priority, attempts, max_attempts, lease_owner, "
    "lease_expires_ms, not_before_ms, cancel_requested, payload, result, error, idempotency_key, "
    "payload_hash, created_ms, updated_ms, started_ms, finished_ms, callback_url, callback_id, "
    "webhook_status, webhook_attempts, webhook_next_ms, webhook_error, title";

// Listings leave out the payload (the whole request, often the longest column).
inline constexpr const char* kJobListColumns =
    "id, key_id, status, stage, progress, priority, attempts, max_attempts, lease_owner, "
    "lease_expires_ms, not_before_ms, cancel_requested, '' AS payload, result, error, "
    "idempotency_key, payload_hash, created_ms, updated_ms, started_ms, finished_ms, callback_url, "
    "callback_id, webhook_status, webhook_attempts, webhook_next_ms, webhook_error, title";

}  // namespace reelgen::store::detail
