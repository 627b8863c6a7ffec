#include "video/thumbnail.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
}

#include <cstdio>
#include <memory>

namespace reelgen::video::detail {

core::Result<void> write_jpeg(cairo_surface_t* surface, const std::filesystem::path& path) {
  cairo_surface_flush(surface);
  const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return core::fail(core::ErrorCode::internal, "no JPEG encoder");
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> ctx(
      avcodec_alloc_context3(codec), [](AVCodecContext* c) { avcodec_free_context(&c); });
  ctx->width = w;
  ctx->height = h;
  ctx->time_base = {1, 25};
  ctx->pix_fmt = AV_PIX_FMT_YUVJ420P;
  ctx->flags |= AV_CODEC_FLAG_QSCALE;
  ctx->global_quality = FF_QP2LAMBDA * 3;
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0)
    return core::fail(core::ErrorCode::internal, "cannot open the JPEG encoder");
  AVFrame* frame = av_frame_alloc();
  frame->format = AV_PIX_FMT_YUVJ420P;
  frame->width = w;
  frame->height = h;
  frame->quality = ctx->global_quality;
  av_frame_get_buffer(frame, 0);
  SwsContext* sws = sws_getContext(w, h, AV_PIX_FMT_BGRA, w, h, AV_PIX_FMT_YUVJ420P, SWS_BILINEAR,
                                   nullptr, nullptr, nullptr);
  const std::uint8_t* src[4] = {cairo_image_surface_get_data(surface), nullptr, nullptr, nullptr};
  const int src_stride[4] = {cairo_image_surface_get_stride(surface), 0, 0, 0};
  sws_scale(sws, src, src_stride, 0, h, frame->data, frame->linesize);
  sws_freeContext(sws);
  AVPacket* packet = av_packet_alloc();
  int err = avcodec_send_frame(ctx.get(), frame);
  if (err >= 0) err = avcodec_receive_packet(ctx.get(), packet);
  core::Result<void> result;
  if (err < 0) {
    result = core::fail(core::ErrorCode::internal, "JPEG encoding failed");
  } else if (FILE* f = std::fopen(path.c_str(), "wb")) {
    const bool ok = std::fwrite(packet->data, 1, static_cast<std::size_t>(packet->size), f) ==
                    static_cast<std::size_t>(packet->size);
    if (std::fclose(f) != 0 || !ok)
      result = core::fail(core::ErrorCode::internal, "cannot write " + path.string());
  } else {
    result = core::fail(core::ErrorCode::internal, "cannot write " + path.string());
  }
  av_packet_free(&packet);
  av_frame_free(&frame);
  return result;
}

}  // namespace reelgen::video::detail
