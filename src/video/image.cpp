#include "video/image.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstring>
#include <memory>
#include <system_error>

#include "video/video.hpp"

namespace reelgen::video::detail {
namespace {

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecFreer {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

}  // namespace

core::Result<Image> load_image(const std::filesystem::path& path, const std::string& field) {
  auto invalid = [&field](std::string rule, std::string message) {
    return std::unexpected(core::Error::invalid(field, std::move(rule), std::move(message)));
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return invalid("readable", "cannot read image " + path.string() + ": " + ec.message());
  if (size > kMaxImageBytes) {
    return invalid("max_size", "image " + path.string() + " is larger than " +
                                   std::to_string(kMaxImageBytes >> 20) + " MB");
  }
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) {
    return invalid("image", "cannot open " + path.string() + " as an image");
  }
  std::unique_ptr<AVFormatContext, FormatCloser> format(raw);
  if (avformat_find_stream_info(format.get(), nullptr) < 0)
    return invalid("image", path.string() + " is not an image");
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream < 0) return invalid("image", path.string() + " is not an image");
  const AVCodecParameters* par = format->streams[stream]->codecpar;
  if (par->width <= 0 || par->height <= 0 || par->width > kMaxImageSide ||
      par->height > kMaxImageSide) {
    return invalid("max_dimensions", "image must be at most " + std::to_string(kMaxImageSide) +
                                         "x" + std::to_string(kMaxImageSide) + " pixels");
  }
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (codec == nullptr) return invalid("image", "unsupported image format in " + path.string());
  std::unique_ptr<AVCodecContext, CodecFreer> ctx(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(ctx.get(), par);
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0)
    return invalid("image", "cannot decode " + path.string());
  std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
  bool got = false;
  while (!got && av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream && avcodec_send_packet(ctx.get(), packet.get()) >= 0) {
      got = avcodec_receive_frame(ctx.get(), frame.get()) >= 0;
    }
    av_packet_unref(packet.get());
  }
  if (!got) {
    avcodec_send_packet(ctx.get(), nullptr);
    got = avcodec_receive_frame(ctx.get(), frame.get()) >= 0;
  }
  if (!got) return invalid("image", "cannot decode " + path.string());

  // swscale's SIMD writers fill whole blocks of pixels and may run past the last pixel of a
  // row, so they write into a frame that FFmpeg pads for them; the rows are then copied out.
  std::unique_ptr<AVFrame, FrameFreer> bgra(av_frame_alloc());
  bgra->format = AV_PIX_FMT_BGRA;
  bgra->width = frame->width;
  bgra->height = frame->height;
  if (av_frame_get_buffer(bgra.get(), 0) < 0)
    return invalid("image", "out of memory decoding " + path.string());
  SwsContext* sws = sws_getContext(
      frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), bgra->width,
      bgra->height, AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (sws == nullptr) return invalid("image", "unsupported pixel format in " + path.string());
  sws_scale(sws, frame->data, frame->linesize, 0, frame->height, bgra->data, bgra->linesize);
  sws_freeContext(sws);

  Image image;
  image.width = frame->width;
  image.height = frame->height;
  image.stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, image.width);
  image.pixels.resize(static_cast<std::size_t>(image.stride) * image.height);
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(image.pixels.data() + static_cast<std::ptrdiff_t>(y) * image.stride,
                bgra->data[0] + static_cast<std::ptrdiff_t>(y) * bgra->linesize[0],
                static_cast<std::size_t>(image.width) * 4);
  }
  // cairo wants premultiplied alpha.
  for (std::size_t i = 0; i < image.pixels.size(); i += 4) {
    const unsigned a = image.pixels[i + 3];
    if (a == 255) continue;
    for (int c = 0; c < 3; ++c)
      image.pixels[i + c] = static_cast<std::uint8_t>(image.pixels[i + c] * a / 255);
  }
  return image;
}

Placement cover(const Image& image, double x, double y, double width, double height) {
  const double scale = std::max(width / image.width, height / image.height);
  return {x + (width - image.width * scale) / 2, y + (height - image.height * scale) / 2, scale};
}

void paint_image(cairo_t* cr, Image& image, const Placement& placement) {
  cairo_surface_t* src = cairo_image_surface_create_for_data(
      image.pixels.data(), CAIRO_FORMAT_ARGB32, image.width, image.height, image.stride);
  cairo_save(cr);
  cairo_translate(cr, placement.x, placement.y);
  cairo_scale(cr, placement.scale, placement.scale);
  cairo_set_source_surface(cr, src, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(src);
}

}  // namespace reelgen::video::detail
