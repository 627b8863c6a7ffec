#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "http/message.hpp"

namespace reelgen::http {
namespace {

class FileBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("reelgen-file-body-" + std::to_string(::getpid()));
    std::ofstream(path_, std::ios::binary) << "0123456789abcdefghij";
  }
  void TearDown() override { std::filesystem::remove(path_); }
  int open_file() const { return ::open(path_.c_str(), O_RDONLY | O_CLOEXEC); }
  std::filesystem::path path_;
};

TEST_F(FileBodyTest, ReadsItsRangeInChunks) {
  FileBody body(open_file(), 5, 10);  // "56789abcde"
  EXPECT_EQ(body.length(), 10u);
  char buf[4];
  std::string got;
  for (std::uint64_t at = 0;;) {
    const long n = body.read(at, buf);
    ASSERT_GE(n, 0);
    if (n == 0) break;
    got.append(buf, static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  EXPECT_EQ(got, "56789abcde");
}

TEST_F(FileBodyTest, StopsAtItsLengthNotAtTheFileEnd) {
  FileBody body(open_file(), 0, 3);
  char buf[16];
  EXPECT_EQ(body.read(0, buf), 3);
  EXPECT_EQ(std::string(buf, 3), "012");
  EXPECT_EQ(body.read(3, buf), 0);
}

TEST_F(FileBodyTest, AResponseCountsTheFileAsItsLength) {
  Response r;
  r.body = "ignored";
  r.file = std::make_shared<FileBody>(open_file(), 2, 7);
  EXPECT_EQ(r.content_length(), 7u);
}

}  // namespace
}  // namespace reelgen::http
