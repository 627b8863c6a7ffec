#include "jobs/video_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/hash.hpp"

namespace reelgen::jobs {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using store::JobStatus;

// The smallest well-formed PNG header and end: signature, IHDR (w x h), IEND.
std::string png(std::uint32_t w, std::uint32_t h, bool complete = true) {
  auto be = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  std::string out("\x89PNG\r\n\x1a\n", 8);
  out += be(13) + "IHDR" + be(w) + be(h) + std::string("\x08\x06\0\0\0", 5) + be(0);
  if (complete) out += be(0) + "IEND" + be(0xAE426082);
  return out;
}

class VideoServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("reelgen-service-" + core::random_token(8));
    db = std::move(store::open_sqlite_store(dir.string(), clock).value());
    config.videos_dir = dir / "videos";
    config.uploads_dir = dir / "uploads";
    config.max_active_per_key = 100;
    config.daily_quota = 100;
  }
  void TearDown() override {
    service.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
  VideoService& videos() {
    if (!service) service = std::make_unique<VideoService>(db->jobs(), config, clock);
    return *service;
  }
  core::Result<store::Job> submit(std::string script, std::string idempotency_key = "",
                                  std::string key = "key_a") {
    boost::json::object fields{{"script", script}};
    return videos().submit(key, fields, boost::json::serialize(fields), idempotency_key);
  }

  core::ManualClock clock;
  std::filesystem::path dir;
  std::unique_ptr<store::Store> db;
  VideoServiceConfig config;
  std::unique_ptr<VideoService> service;
};

TEST_F(VideoServiceTest, DailyQuotaCountsTheLast24Hours) {
  config.daily_quota = 3;
  for (int i = 0; i < 3; ++i) {
    auto job = submit("video " + std::to_string(i));
    ASSERT_TRUE(job) << job.error().message;
    ASSERT_TRUE(videos().cancel_or_delete("key_a", job->id));  // not active: only the day counts
  }
  auto refused = submit("one too many");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  EXPECT_NE(refused.error().message.find("3 videos a day"), std::string::npos);
  EXPECT_TRUE(submit("another key's first", "", "key_b"));
  clock.advance(24h - 1ms);
  EXPECT_FALSE(submit("still the same day"));
  clock.advance(2ms);
  EXPECT_TRUE(submit("a new day"));
}

TEST_F(VideoServiceTest, ActiveQuotaFreesUpWhenAJobEnds) {
  config.max_active_per_key = 2;
  auto first = submit("one").value();
  ASSERT_TRUE(submit("two"));
  auto refused = submit("three");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  auto cancelled = videos().cancel_or_delete("key_a", first.id).value();
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, JobStatus::cancelled);
  EXPECT_TRUE(submit("three"));
}

TEST_F(VideoServiceTest, IdempotentReplayReturnsTheSameJobEvenOverQuota) {
  config.max_active_per_key = 1;
  auto first = submit("hello", "idem-1").value();
  auto again = submit("hello", "idem-1");
  ASSERT_TRUE(again) << again.error().message;  // over the active quota, yet answered
  EXPECT_EQ(again->id, first.id);
  auto other_body = submit("goodbye", "idem-1");
  ASSERT_FALSE(other_body);
  EXPECT_NE(other_body.error().code, ErrorCode::internal);
  auto page = videos().list("key_a", {}).value();
  EXPECT_EQ(page.jobs.size(), 1u);
  // Another key may use the same idempotency key for its own job.
  config.max_active_per_key = 5;
  auto theirs = submit("hello", "idem-1", "key_b").value();
  EXPECT_NE(theirs.id, first.id);
}

TEST_F(VideoServiceTest, IdempotencyKeyLongerThan255IsRefused) {
  auto refused = submit("hello", std::string(256, 'k'));
  ASSERT_FALSE(refused);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "Idempotency-Key");
}

TEST_F(VideoServiceTest, NewJobsCarryTheTimeOfSubmission) {
  auto job = submit("hello").value();
  EXPECT_EQ(job.created_ms, core::unix_ms(clock.wall()));
  EXPECT_EQ(job.updated_ms, job.created_ms);
  EXPECT_EQ(videos().get("key_a", job.id).value().updated_ms, job.created_ms);
}

TEST_F(VideoServiceTest, InvalidFieldsAreNamedInBatches) {
  boost::json::array items{boost::json::object{{"script", "fine"}},
                           boost::json::object{{"script", ""}}, boost::json::value(3)};
  auto results = videos().submit_batch("key_a", items);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().fields.at(0).field, "videos[1].script");
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().fields.at(0).field, "videos[2]");
}

TEST_F(VideoServiceTest, CursorSurvivesTheDeletionOfItsJob) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(submit("video " + std::to_string(i)).value().id);
    clock.advance(1ms);
  }
  VideoQuery q;
  q.limit = 2;
  auto page1 = videos().list("key_a", q).value();
  ASSERT_EQ(page1.jobs.size(), 2u);
  EXPECT_EQ(page1.jobs[0].id, ids[4]);
  ASSERT_FALSE(page1.next_cursor.empty());
  // The last job of the page is cancelled and deleted before the next page is asked for.
  ASSERT_TRUE(videos().cancel_or_delete("key_a", ids[3]));
  ASSERT_TRUE(videos().cancel_or_delete("key_a", ids[3]));
  q.cursor = page1.next_cursor;
  auto page2 = videos().list("key_a", q).value();
  ASSERT_EQ(page2.jobs.size(), 2u);
  EXPECT_EQ(page2.jobs[0].id, ids[2]);
  EXPECT_EQ(page2.jobs[1].id, ids[1]);
  q.cursor = page2.next_cursor;
  auto page3 = videos().list("key_a", q).value();
  ASSERT_EQ(page3.jobs.size(), 1u);
  EXPECT_TRUE(page3.next_cursor.empty());
}

TEST_F(VideoServiceTest, MalformedCursorIsAFieldError) {
  for (const char* cursor : {"garbage", "vid_abc", "zz", "31", "2d312e7669645f61"}) {
    VideoQuery q;
    q.cursor = cursor;
    auto page = videos().list("key_a", q);
    ASSERT_FALSE(page) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(page.error().fields.at(0).field, "cursor");
  }
}

TEST_F(VideoServiceTest, UploadsAreKeptListedAndDeletedPerKey) {
  auto upload = videos().create_upload("key_a", png(64, 32)).value();
  EXPECT_EQ(upload.width, 64);
  EXPECT_EQ(upload.content_type, "image/png");
  EXPECT_EQ(videos().get_upload("key_a", upload.id).value().height, 32);
  EXPECT_EQ(videos().get_upload("key_b", upload.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(videos().list_uploads("key_a").value().size(), 1u);
  EXPECT_TRUE(videos().list_uploads("key_b").value().empty());
  EXPECT_FALSE(videos().delete_upload("key_b", upload.id));
  ASSERT_TRUE(videos().delete_upload("key_a", upload.id));
  EXPECT_EQ(videos().get_upload("key_a", upload.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(videos().get_upload("key_a", "../../etc").error().code, ErrorCode::not_found);
}

TEST_F(VideoServiceTest, TruncatedImagesAreRefusedAtUpload) {
  auto cut = videos().create_upload("key_a", png(64, 32, false));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos);
  // A JPEG whose data stops before its end-of-image marker.
  std::string jpeg("\xFF\xD8\xFF\xC0\x00\x0B\x08\x00\x10\x00\x20\x01\x01\x11\x00", 15);
  jpeg += std::string("\xFF\xDA\x00\x02\x12\x34\x56", 7);
  auto cut_jpeg = videos().create_upload("key_a", jpeg);
  ASSERT_FALSE(cut_jpeg);
  EXPECT_NE(cut_jpeg.error().message.find("truncated"), std::string::npos);
  auto whole = videos().create_upload("key_a", jpeg + std::string("\xFF\xD9", 2));
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->width, 32);
  EXPECT_EQ(whole->height, 16);
}

TEST_F(VideoServiceTest, OldUploadsExpire) {
  auto upload = videos().create_upload("key_a", png(8, 8)).value();
  EXPECT_EQ(videos().expire_uploads(upload.created_ms - 1000), 0u);
  EXPECT_EQ(videos().expire_uploads(upload.created_ms + 1), 1u);
  EXPECT_TRUE(videos().list_uploads("key_a").value().empty());
}

TEST_F(VideoServiceTest, PrivateCallbacksAreRefusedUnlessAllowed) {
  boost::json::object fields{{"script", "hi"}, {"callback_url", "http://127.0.0.1/hook"}};
  auto refused = videos().submit("key_a", fields, boost::json::serialize(fields), "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "callback_url");
}

}  // namespace
}  // namespace reelgen::jobs
