#include "video/image.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace reelgen::video::detail {
namespace {

// A solid-colour image made by the ffmpeg command line, decoded the way players decode it.
// JPEG (4:2:0, even sizes) or PNG (RGB, any size).
std::filesystem::path make_image(int width, int height, const char* extension) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("reelgen-image-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / (std::to_string(width) + "x" + std::to_string(height) + extension);
  const std::string command =
      "ffmpeg -v error -y -f lavfi -i color=c=0x3366cc:size=" + std::to_string(width) + "x" +
      std::to_string(height) + (std::string_view(extension) == ".png" ? ",format=rgb24" : "") +
      " -frames:v 1 " + path.string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return path;
}

// Widths that are and are not multiples of swscale's SIMD blocks (600 x 750 overflowed the
// pixel buffer); run under ASan or valgrind any write past the rows is reported.
TEST(LoadImage, DecodesEveryWidthIntoItsOwnRows) {
  struct Case {
    int w, h;
    const char* extension;
  };
  for (const auto [w, h, extension] : {Case{600, 750, ".jpg"},
                                       {2, 2, ".jpg"},
                                       {6, 4, ".jpg"},
                                       {14, 10, ".jpg"},
                                       {18, 16, ".jpg"},
                                       {34, 30, ".jpg"},
                                       {250, 100, ".jpg"},
                                       {602, 750, ".jpg"},
                                       {1000, 4, ".jpg"},
                                       {1366, 18, ".jpg"},
                                       {7, 5, ".png"},
                                       {33, 31, ".png"},
                                       {601, 751, ".png"},
                                       {1, 1, ".png"}}) {
    const auto path = make_image(w, h, extension);
    auto image = load_image(path, "portrait");
    ASSERT_TRUE(image.has_value()) << w << "x" << h << ": " << image.error().message;
    EXPECT_EQ(image->width, w);
    EXPECT_EQ(image->height, h);
    ASSERT_EQ(image->stride, w * 4);
    ASSERT_EQ(image->pixels.size(), static_cast<std::size_t>(w) * h * 4);
    // Every row's last pixel has the colour (BGRA #3366cc within JPEG error): a row written
    // at the wrong stride would be shifted or black there.
    for (int y = 0; y < h; ++y) {
      const std::uint8_t* p =
          image->pixels.data() + static_cast<std::size_t>(y) * image->stride + (w - 1) * 4;
      ASSERT_NEAR(p[0], 0xcc, 12) << w << "x" << h << " row " << y;
      ASSERT_NEAR(p[1], 0x66, 12) << w << "x" << h << " row " << y;
      ASSERT_NEAR(p[2], 0x33, 12) << w << "x" << h << " row " << y;
      ASSERT_EQ(p[3], 255);
    }
    std::filesystem::remove(path);
  }
}

}  // namespace
}  // namespace reelgen::video::detail
