// Incremental drawing must be exact: a frame drawn by redrawing and converting only what changed
// is the frame drawn and converted from scratch, byte for byte, and nothing outside the moving
// parts ever changes in the encoded video.

#include "video/compositor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "video/avatar.hpp"
#include "video/avatar_style.hpp"
#include "video/engine.hpp"
#include "video/frame.hpp"
#include "video/subtitles.hpp"

namespace reelgen::video::detail {
namespace {

constexpr const char* kBackground = "#223355";

const AvatarStyle& style(const std::string& id) {
  for (const auto& s : avatar_styles()) {
    if (s.id == id) return s;
  }
  return avatar_styles().front();
}

// The base layer the pipeline draws: background and the avatar's static parts.
cairo_surface_t* make_base(FrameSize size, Avatar& avatar) {
  cairo_surface_t* base = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width, size.height);
  cairo_t* cr = cairo_create(base);
  EXPECT_TRUE(draw_background(cr, size.width, size.height, kBackground).has_value());
  avatar.draw_static(cr);
  cairo_destroy(cr);
  cairo_surface_flush(base);
  return base;
}

AvatarPose pose_at(int frame) {
  AvatarPose pose;
  pose.mouth = {static_cast<Viseme>(frame % kVisemeCount),
                static_cast<Viseme>((frame * 4 + 1) % kVisemeCount), (frame % 5) / 4.0};
  pose.eyes_open = frame % 9 == 4 ? 0.1 : 1.0;
  // Fast, to move the head across its range, and every other run of four frames held still,
  // when only the eyes and mouth are redrawn.
  const int held = frame / 4 % 2 == 0 ? frame : frame / 4 * 4;
  pose.motion = idle_motion(held / 30.0 * 7, 17);
  pose.expression = {kNodDepth * (held % 3) / 2.0, (frame % 4) / 3.0, (frame % 5) / 2.0 - 1,
                     (frame % 3) - 1.0};
  return pose;
}

bool same_planes(const Yuv420& a, const Yuv420& b, std::string& where) {
  for (int p = 0; p < 3; ++p) {
    const int w = p == 0 ? a.width : a.width / 2, h = p == 0 ? a.height : a.height / 2;
    for (int y = 0; y < h; ++y) {
      const std::uint8_t* ra = a.plane[p] + static_cast<std::ptrdiff_t>(y) * a.stride[p];
      const std::uint8_t* rb = b.plane[p] + static_cast<std::ptrdiff_t>(y) * b.stride[p];
      if (std::memcmp(ra, rb, static_cast<std::size_t>(w)) != 0) {
        int x = 0;
        while (ra[x] == rb[x]) ++x;
        where =
            "plane " + std::to_string(p) + " x=" + std::to_string(x) + " y=" + std::to_string(y);
        return false;
      }
    }
  }
  return true;
}

struct Size {
  Resolution resolution;
  Aspect aspect;
};
constexpr Size kSizes[] = {
    {Resolution::p360, Aspect::portrait},   {Resolution::p720, Aspect::portrait},
    {Resolution::p1080, Aspect::portrait},  {Resolution::p720, Aspect::landscape},
    {Resolution::p1080, Aspect::landscape}, {Resolution::p720, Aspect::square},
    {Resolution::p360, Aspect::square}};

TEST(Compositor, IncrementalFramesEqualFramesDrawnFromScratch) {
  for (const Size s : kSizes) {
    const FrameSize size = frame_size(s.resolution, s.aspect);
    SCOPED_TRACE(std::to_string(size.width) + "x" + std::to_string(size.height));
    std::vector<TimedWord> words = {
        {"Three", 0, 0.3}, {"calm", 0.3, 0.6}, {"mornings", 0.6, 1.0, true}};
    const Cue cue{0, 1, 0, 3, {}};
    auto avatar = make_vector_avatar(style(s.aspect == Aspect::landscape ? "leo" : "ava"),
                                     framing_for(size.width, size.height));
    SubtitleRenderer subtitles(size.width, size.height, SubtitleOptions{}, avatar->face_box());
    Compositor running(size.width, size.height, make_base(size, *avatar), *avatar,
                       subtitles.band());
    for (int frame = 0; frame < 32; ++frame) {
      const AvatarPose pose = pose_at(frame);
      // Subtitles come and go and their highlight moves, as in a video.
      const int phase = frame / 3 % 4;
      cairo_surface_t* band =
          phase == 3 ? nullptr : subtitles.render(words, cue, static_cast<std::size_t>(phase));
      running.compose(pose, band, frame % 3 == 0);
      if (frame % 3 != 2) continue;
      auto fresh_avatar = make_vector_avatar(style(s.aspect == Aspect::landscape ? "leo" : "ava"),
                                             framing_for(size.width, size.height));
      Compositor fresh(size.width, size.height, make_base(size, *fresh_avatar), *fresh_avatar,
                       subtitles.band());
      fresh.compose(pose, band, true);
      std::string where;
      ASSERT_TRUE(same_planes(running.yuv(), fresh.yuv(), where))
          << "frame " << frame << " differs at " << where;
    }
  }
}

TEST(ConvertToYuv420, PiecesGiveTheWholePicture) {
  constexpr int w = 70, h = 46;
  std::vector<std::uint8_t> bgra(static_cast<std::size_t>(w) * h * 4);
  for (std::size_t i = 0; i < bgra.size(); ++i)
    bgra[i] = static_cast<std::uint8_t>(i * 2654435761u >> 13);
  for (std::size_t i = 3; i < bgra.size(); i += 4) bgra[i] = 255;
  Yuv420 whole(w, h), pieces(w, h);
  std::fill(pieces.storage.begin(), pieces.storage.end(), 0x5a);
  convert_to_yuv420(bgra.data(), w * 4, whole, 0, 0, w, h);
  convert_to_yuv420(bgra.data(), w * 4, pieces, 0, 0, 30, 20);
  convert_to_yuv420(bgra.data(), w * 4, pieces, 30, 0, w, 20);
  convert_to_yuv420(bgra.data(), w * 4, pieces, 0, 20, 2, h);
  convert_to_yuv420(bgra.data(), w * 4, pieces, 2, 20, w, h);
  std::string where;
  EXPECT_TRUE(same_planes(whole, pieces, where)) << where;
  // White and black land on the limited range's ends.
  std::vector<std::uint8_t> white(16, 255),
      black = {0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255};
  Yuv420 yw(2, 2), yb(2, 2);
  convert_to_yuv420(white.data(), 8, yw, 0, 0, 2, 2);
  convert_to_yuv420(black.data(), 8, yb, 0, 0, 2, 2);
  EXPECT_EQ(yw.plane[0][0], 235);
  EXPECT_EQ(yb.plane[0][0], 16);
  EXPECT_EQ(yw.plane[1][0], 128);
  EXPECT_EQ(yb.plane[2][0], 128);
}

// The spoken word's pill, on rendered pixels: its text contrasts with it at least 4.5:1 (WCAG
// AA), and the pill stands out from the outfit and the background behind the band (at least
// 2:1 against each, where the old yellow was 1.1:1 on Maya's yellow hoodie).
TEST(Compositor, TheHighlightContrastsWithItsTextOutfitAndBackground) {
  for (const Size s :
       {Size{Resolution::p720, Aspect::portrait}, Size{Resolution::p720, Aspect::landscape},
        Size{Resolution::p720, Aspect::square}}) {
    const FrameSize size = frame_size(s.resolution, s.aspect);
    for (const auto& st : avatar_styles()) {
      SCOPED_TRACE(st.id + " " + std::to_string(size.width) + "x" + std::to_string(size.height));
      auto avatar = make_vector_avatar(st, framing_for(size.width, size.height));
      SubtitleRenderer subtitles(size.width, size.height, SubtitleOptions{}, avatar->face_box());
      Compositor compositor(size.width, size.height, make_base(size, *avatar), *avatar,
                            subtitles.band());
      subtitles.choose_highlight(compositor.frame());
      const std::vector<TimedWord> words = {
          {"Three", 0, 0.3}, {"calm", 0.3, 0.6}, {"mornings", 0.6, 1.0, true}};
      compositor.compose(AvatarPose{}, subtitles.render(words, Cue{0, 1, 0, 3, {}}, 2), true);
      // The pill: the pixels of the band that have exactly its colour; the text on it: pixels
      // inside the pill's bounding box far from the pill's colour.
      const Rgb pill = subtitles.highlight();
      const Rect band = subtitles.band();
      cairo_surface_t* frame = compositor.frame();
      const int stride = cairo_image_surface_get_stride(frame);
      const unsigned char* data = cairo_image_surface_get_data(frame);
      auto at = [&](int x, int y) {
        const unsigned char* p = data + y * stride + x * 4;
        return Rgb{p[2] / 255.0, p[1] / 255.0, p[0] / 255.0};
      };
      auto near = [](const Rgb& a, const Rgb& b, double d) {
        return std::abs(a.r - b.r) <= d && std::abs(a.g - b.g) <= d && std::abs(a.b - b.b) <= d;
      };
      int x0 = band.x + band.w, x1 = band.x, y0 = band.y + band.h, y1 = band.y, pill_pixels = 0;
      for (int y = band.y; y < band.y + band.h; ++y) {
        for (int x = band.x; x < band.x + band.w; ++x) {
          if (!near(at(x, y), pill, 1.5 / 255)) continue;
          ++pill_pixels;
          x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
      }
      ASSERT_GT(pill_pixels, 200) << "the spoken word sits on a pill";
      double r = 0, g = 0, b = 0;
      int text_pixels = 0;
      for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
          const Rgb c = at(x, y);
          if (near(c, pill, 0.1) || !near(c, subtitles.highlight_text(), 0.05)) continue;
          r += c.r, g += c.g, b += c.b;
          ++text_pixels;
        }
      }
      ASSERT_GT(text_pixels, 50) << "the word is written on its pill";
      const Rgb text{r / text_pixels, g / text_pixels, b / text_pixels};
      EXPECT_GE(contrast_ratio(text, pill), 4.5);
      // Outfit and background as drawn: the frame's corner and the middle of the chest.
      const Rgb background = at(2, 2);
      const Rgb outfit =
          at(static_cast<int>(framing_for(size.width, size.height).cx) - size.width / 10,
             size.height - 10);
      EXPECT_GE(contrast_ratio(pill, background), 2.0);
      EXPECT_GE(contrast_ratio(pill, outfit), 2.0);
      std::printf(
          "%-5s %4dx%-4d pill #%02x%02x%02x: text %.1f:1, background %.1f:1, outfit %.1f:1\n",
          st.id.c_str(), size.width, size.height, static_cast<int>(pill.r * 255),
          static_cast<int>(pill.g * 255), static_cast<int>(pill.b * 255),
          contrast_ratio(text, pill), contrast_ratio(pill, background),
          contrast_ratio(pill, outfit));
    }
  }
}

// Decodes every frame of an encoded video as RGB through the ffmpeg command line.
class DecodedFrames {
 public:
  DecodedFrames(const std::filesystem::path& video, int width, int height)
      : frame_(static_cast<std::size_t>(width) * height * 3) {
    const std::string command =
        "ffmpeg -v error -i " + video.string() + " -f rawvideo -pix_fmt rgb24 -";
    pipe_ = ::popen(command.c_str(), "r");
  }
  ~DecodedFrames() {
    if (pipe_ != nullptr) ::pclose(pipe_);
  }
  bool next() {
    return pipe_ != nullptr && std::fread(frame_.data(), 1, frame_.size(), pipe_) == frame_.size();
  }
  const std::vector<std::uint8_t>& rgb() const { return frame_; }

 private:
  std::FILE* pipe_ = nullptr;
  std::vector<std::uint8_t> frame_;
};

// The pixels that are background in the base layer, far (16 px) from the moving parts and from
// anything drawn: in the video they must stay the background colour in every frame.
std::vector<std::size_t> far_background(FrameSize size, const std::string& avatar_id) {
  auto avatar = make_vector_avatar(style(avatar_id), framing_for(size.width, size.height));
  cairo_surface_t* base = make_base(size, *avatar);
  const Rect moving = avatar->dynamic_bounds();
  const int stride = cairo_image_surface_get_stride(base);
  const std::uint8_t* data = cairo_image_surface_get_data(base);
  const std::uint32_t background = *reinterpret_cast<const std::uint32_t*>(data);
  // Rows and columns fully background around each pixel, with a 16 px margin.
  constexpr int kMargin = 16;
  std::vector<std::uint8_t> drawn(static_cast<std::size_t>(size.width) * size.height, 0);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      const bool in_moving =
          x >= moving.x && x < moving.x + moving.w && y >= moving.y && y < moving.y + moving.h;
      const auto px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
      drawn[static_cast<std::size_t>(y) * size.width + x] = in_moving || px != background;
    }
  }
  cairo_surface_destroy(base);
  // Grow what is drawn by the margin (a square dilation, separable).
  std::vector<std::uint8_t> grown(drawn.size(), 0), tmp(drawn.size(), 0);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      if (!drawn[static_cast<std::size_t>(y) * size.width + x]) continue;
      for (int d = std::max(0, x - kMargin); d <= std::min(size.width - 1, x + kMargin); ++d) {
        tmp[static_cast<std::size_t>(y) * size.width + d] = 1;
      }
    }
  }
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      if (!tmp[static_cast<std::size_t>(y) * size.width + x]) continue;
      for (int d = std::max(0, y - kMargin); d <= std::min(size.height - 1, y + kMargin); ++d) {
        grown[static_cast<std::size_t>(d) * size.width + x] = 1;
      }
    }
  }
  std::vector<std::size_t> pixels;
  for (std::size_t i = 0; i < grown.size(); ++i) {
    if (!grown[i]) pixels.push_back(i);
  }
  return pixels;
}

TEST(Compositor, BackgroundFarFromTheAvatarStaysBackgroundInTheVideo) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reelgen-compositor-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const Size s : kSizes) {
    const FrameSize size = frame_size(s.resolution, s.aspect);
    SCOPED_TRACE(std::to_string(size.width) + "x" + std::to_string(size.height));
    RenderRequest request;
    request.script = "Hi, I am here.";
    request.avatar_id = s.aspect == Aspect::landscape ? "leo" : "ava";
    request.resolution = s.resolution;
    request.aspect = s.aspect;
    request.background = kBackground;
    request.subtitles.enabled = false;
    request.write_sidecars = false;
    request.allow_hardware = false;
    const auto out = dir / "clip.mp4";
    auto summary = video::engine::render(request, out);
    ASSERT_TRUE(summary.has_value()) << summary.error().message;
    const auto pixels = far_background(size, request.avatar_id);
    ASSERT_GT(pixels.size(), static_cast<std::size_t>(size.width) * size.height / 20)
        << "enough background to check";
    DecodedFrames frames(out, size.width, size.height);
    int count = 0, worst = 0;
    while (frames.next()) {
      ++count;
      const auto& rgb = frames.rgb();
      for (const std::size_t i : pixels) {
        // #223355 within encoding error.
        const int d = std::max({std::abs(rgb[3 * i] - 0x22), std::abs(rgb[3 * i + 1] - 0x33),
                                std::abs(rgb[3 * i + 2] - 0x55)});
        if (d > worst) worst = d;
        ASSERT_LE(d, 6) << "frame " << count << " x=" << i % size.width << " y=" << i / size.width;
      }
    }
    EXPECT_EQ(count, summary->frames);
    std::printf("%dx%d: %d frames, %zu background pixels, worst difference %d\n", size.width,
                size.height, count, pixels.size(), worst);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace reelgen::video::detail
