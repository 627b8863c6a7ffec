#include "video/image.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
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
struct IoFreer {
  void operator()(AVIOContext* io) const {
    av_freep(&io->buffer);  // FFmpeg may have replaced the buffer given to avio_alloc_context
    avio_context_free(&io);
  }
};

// The bytes FFmpeg reads an image from, as if they were a file.
struct MemoryReader {
  std::span<const std::uint8_t> bytes;
  std::size_t pos = 0;
};

int read_memory(void* opaque, std::uint8_t* buf, int size) {
  auto& r = *static_cast<MemoryReader*>(opaque);
  const std::size_t n = std::min(r.bytes.size() - r.pos, static_cast<std::size_t>(size));
  if (n == 0) return AVERROR_EOF;
  std::memcpy(buf, r.bytes.data() + r.pos, n);
  r.pos += n;
  return static_cast<int>(n);
}

std::int64_t seek_memory(void* opaque, std::int64_t offset, int whence) {
  auto& r = *static_cast<MemoryReader*>(opaque);
  const auto size = static_cast<std::int64_t>(r.bytes.size());
  if (whence == AVSEEK_SIZE) return size;
  std::int64_t base = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = static_cast<std::int64_t>(r.pos);
      break;
    case SEEK_END:
      base = size;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (offset < -base || offset > size - base) return AVERROR(EINVAL);
  r.pos = static_cast<std::size_t>(base + offset);
  return base + offset;
}

}  // namespace

core::Result<Image> load_image(const std::filesystem::path& path, const std::string& field) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return std::unexpected(core::Error::invalid(
        field, "readable", "cannot read image " + path.string() + ": " + ec.message()));
  }
  if (size > kMaxImageBytes) {
    return std::unexpected(core::Error::invalid(field, "max_size",
                                                "image " + path.string() + " is larger than " +
                                                    std::to_string(kMaxImageBytes >> 20) + " MB"));
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    return std::unexpected(
        core::Error::invalid(field, "readable", "cannot read image " + path.string()));
  }
  return decode_image(bytes, path.string(), field);
}

core::Result<Image> decode_image(std::span<const std::uint8_t> bytes, const std::string& name,
                                 const std::string& field) {
  auto invalid = [&field](std::string rule, std::string message) {
    return std::unexpected(core::Error::invalid(field, std::move(rule), std::move(message)));
  };
  if (bytes.size() > kMaxImageBytes) {
    return invalid("max_size", "image " + name + " is larger than " +
                                   std::to_string(kMaxImageBytes >> 20) + " MB");
  }
  MemoryReader reader{bytes, 0};
  constexpr int kBufferSize = 4096;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (buffer == nullptr) return invalid("image", "out of memory decoding " + name);
  // Declared before the format context, so that it outlives it.
  std::unique_ptr<AVIOContext, IoFreer> io(
      avio_alloc_context(buffer, kBufferSize, 0, &reader, read_memory, nullptr, seek_memory));
  if (io == nullptr) {
    av_free(buffer);
    return invalid("image", "out of memory decoding " + name);
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return invalid("image", "out of memory decoding " + name);
  raw->pb = io.get();
  // The name's extension helps the probe, as it did when FFmpeg opened the file itself.
  if (avformat_open_input(&raw, name.c_str(), nullptr, nullptr) < 0) {
    return invalid("image", "cannot open " + name + " as an image");
  }
  std::unique_ptr<AVFormatContext, FormatCloser> format(raw);
  if (avformat_find_stream_info(format.get(), nullptr) < 0)
    return invalid("image", name + " is not an image");
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream < 0) return invalid("image", name + " is not an image");
  const AVCodecParameters* par = format->streams[stream]->codecpar;
  if (par->width <= 0 || par->height <= 0 || par->width > kMaxImageSide ||
      par->height > kMaxImageSide) {
    return invalid("max_dimensions", "image must be at most " + std::to_string(kMaxImageSide) +
                                         "x" + std::to_string(kMaxImageSide) + " pixels");
  }
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (codec == nullptr) return invalid("image", "unsupported image format in " + name);
  std::unique_ptr<AVCodecContext, CodecFreer> ctx(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(ctx.get(), par);
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0)
    return invalid("image", "cannot decode " + name);
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
  if (!got) return invalid("image", "cannot decode " + name);

  // swscale's SIMD writers fill whole blocks of pixels and may run past the last pixel of a
  // row, so they write into a frame that FFmpeg pads for them; the rows are then copied out.
  std::unique_ptr<AVFrame, FrameFreer> bgra(av_frame_alloc());
  bgra->format = AV_PIX_FMT_BGRA;
  bgra->width = frame->width;
  bgra->height = frame->height;
  if (av_frame_get_buffer(bgra.get(), 0) < 0)
    return invalid("image", "out of memory decoding " + name);
  SwsContext* sws = sws_getContext(
      frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), bgra->width,
      bgra->height, AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (sws == nullptr) return invalid("image", "unsupported pixel format in " + name);
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
