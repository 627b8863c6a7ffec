#include "video/encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cstring>
#include <mutex>

namespace reelgen::video::detail {
namespace {

std::string av_message(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

core::Result<void> check(int err, const std::string& what) {
  if (err >= 0) return {};
  return core::fail(core::ErrorCode::internal, what + ": " + av_message(err));
}

class FfmpegEncoder final : public Encoder {
 public:
  explicit FfmpegEncoder(EncoderSettings settings) : s_(std::move(settings)) {}
  ~FfmpegEncoder() override {
    avcodec_free_context(&video_);
    avcodec_free_context(&audio_);
    av_frame_free(&audio_frame_);
    av_packet_free(&packet_);
    if (format_ != nullptr) {
      if (format_->pb != nullptr && !(format_->oformat->flags & AVFMT_NOFILE))
        avio_closep(&format_->pb);
      avformat_free_context(format_);
    }
  }
  FfmpegEncoder(const FfmpegEncoder&) = delete;
  FfmpegEncoder& operator=(const FfmpegEncoder&) = delete;

  core::Result<void> open() {
    const char* muxer = s_.format == Format::mp4 ? "mp4" : "webm";
    if (auto r = check(avformat_alloc_output_context2(&format_, nullptr, muxer, s_.path.c_str()),
                       "cannot create the container");
        !r)
      return r;
    packet_ = av_packet_alloc();
    if (auto r = open_video(); !r) return r;
    if (auto r = open_audio(); !r) return r;
    if (auto r = check(avio_open(&format_->pb, s_.path.c_str(), AVIO_FLAG_WRITE),
                       "cannot write " + s_.path.string());
        !r)
      return r;
    AVDictionary* opts = nullptr;
    // faststart moves the index to the front so players start before the download ends.
    if (s_.format == Format::mp4) av_dict_set(&opts, "movflags", "+faststart", 0);
    const int err = avformat_write_header(format_, &opts);
    av_dict_free(&opts);
    return check(err, "cannot write the header");
  }

  core::Result<void> write_video(std::shared_ptr<Yuv420> frame) override {
    const double t = static_cast<double>(frames_ + 1) / s_.fps;
    if (auto r = write_audio_until(t); !r) return r;
    AVFrame* f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = frame->width;
    f->height = frame->height;
    for (int i = 0; i < 3; ++i) {
      f->data[i] = frame->plane[i];
      f->linesize[i] = frame->stride[i];
    }
    // The AVFrame borrows the pooled buffer; the buffer goes back to the pool when FFmpeg is done.
    auto* holder = new std::shared_ptr<Yuv420>(std::move(frame));
    f->buf[0] = av_buffer_create(
        (*holder)->storage.data(), (*holder)->storage.size(),
        [](void* opaque, std::uint8_t*) { delete static_cast<std::shared_ptr<Yuv420>*>(opaque); },
        holder, 0);
    f->pts = frames_++;
    const int err = avcodec_send_frame(video_, f);
    av_frame_free(&f);
    if (auto r = check(err, "video encoding failed"); !r) return r;
    return drain(video_, video_stream_);
  }

  core::Result<void> finish() override {
    if (auto r = write_audio_until(1e9); !r) return r;
    if (auto r = check(avcodec_send_frame(audio_, nullptr), "audio flush failed"); !r) return r;
    if (auto r = drain(audio_, audio_stream_); !r) return r;
    if (auto r = check(avcodec_send_frame(video_, nullptr), "video flush failed"); !r) return r;
    if (auto r = drain(video_, video_stream_); !r) return r;
    if (auto r = check(av_write_trailer(format_), "cannot finish the file"); !r) return r;
    return check(avio_closep(&format_->pb), "cannot close " + s_.path.string());
  }

  std::string video_codec() const override { return video_ ? video_->codec->name : ""; }
  std::string audio_codec() const override { return audio_ ? audio_->codec->name : ""; }

 private:
  core::Result<void> open_video() {
    const EncoderTuning tune = tuning_for(s_.quality);
    std::vector<const char*> names;
    if (s_.format == Format::webm) {
      names = {"libvpx-vp9"};
    } else {
      if (s_.allow_hardware) names.push_back("h264_nvenc");
      names.push_back("libx264");
    }
    for (const char* name : names) {
      const AVCodec* codec = avcodec_find_encoder_by_name(name);
      if (codec == nullptr) continue;
      AVCodecContext* ctx = avcodec_alloc_context3(codec);
      ctx->width = s_.width;
      ctx->height = s_.height;
      ctx->time_base = {1, s_.fps};
      ctx->framerate = {s_.fps, 1};
      ctx->pix_fmt = AV_PIX_FMT_YUV420P;
      ctx->gop_size = s_.fps * 4;
      // swscale produced BT.601 limited range; say so, so players convert back correctly.
      ctx->color_range = AVCOL_RANGE_MPEG;
      ctx->colorspace = AVCOL_SPC_SMPTE170M;
      ctx->color_primaries = AVCOL_PRI_SMPTE170M;
      ctx->color_trc = AVCOL_TRC_SMPTE170M;
      if (format_->oformat->flags & AVFMT_GLOBALHEADER) ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
      AVDictionary* opts = nullptr;
      if (std::strcmp(name, "libx264") == 0) {
        av_dict_set(&opts, "preset", tune.x264_preset.c_str(), 0);
        av_dict_set_int(&opts, "crf", tune.x264_crf, 0);
        ctx->thread_count = 0;  // x264 picks frame threads for the cores
      } else if (std::strcmp(name, "h264_nvenc") == 0) {
        av_dict_set(&opts, "preset", "p2", 0);
        av_dict_set_int(&opts, "cq", tune.x264_crf + 2, 0);
      } else {
        av_dict_set(&opts, "deadline", "realtime", 0);
        av_dict_set_int(&opts, "cpu-used", tune.vp9_cpu_used, 0);
        av_dict_set_int(&opts, "crf", tune.vp9_crf, 0);
        av_dict_set_int(&opts, "row-mt", 1, 0);
        ctx->bit_rate = 0;
        ctx->thread_count = 2;
      }
      const int err = avcodec_open2(ctx, codec, &opts);
      av_dict_free(&opts);
      if (err < 0) {
        avcodec_free_context(&ctx);
        continue;  // no GPU encoder here: fall back to the next
      }
      video_ = ctx;
      break;
    }
    if (video_ == nullptr) return core::fail(core::ErrorCode::internal, "no usable video encoder");
    video_stream_ = avformat_new_stream(format_, nullptr);
    video_stream_->time_base = video_->time_base;
    video_stream_->avg_frame_rate = video_->framerate;
    return check(avcodec_parameters_from_context(video_stream_->codecpar, video_), "video stream");
  }

  core::Result<void> open_audio() {
    const AVCodec* codec =
        avcodec_find_encoder_by_name(s_.format == Format::mp4 ? "aac" : "libopus");
    if (codec == nullptr) return core::fail(core::ErrorCode::internal, "no audio encoder");
    audio_ = avcodec_alloc_context3(codec);
    audio_->sample_rate = s_.audio_rate;
    av_channel_layout_default(&audio_->ch_layout, 1);
    audio_->sample_fmt = s_.format == Format::mp4 ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_FLT;
    audio_->bit_rate = tuning_for(s_.quality).audio_bitrate;
    audio_->time_base = {1, s_.audio_rate};
    if (format_->oformat->flags & AVFMT_GLOBALHEADER) audio_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* opts = nullptr;
    // The default two-loop AAC search costs as much CPU as the drawing; "fast" is transparent
    // for speech at these bitrates.
    if (s_.format == Format::mp4) av_dict_set(&opts, "aac_coder", "fast", 0);
    const int err = avcodec_open2(audio_, codec, &opts);
    av_dict_free(&opts);
    if (auto r = check(err, "cannot open the audio encoder"); !r) return r;
    audio_stream_ = avformat_new_stream(format_, nullptr);
    audio_stream_->time_base = audio_->time_base;
    audio_frame_ = av_frame_alloc();
    audio_frame_->format = audio_->sample_fmt;
    audio_frame_->sample_rate = audio_->sample_rate;
    av_channel_layout_copy(&audio_frame_->ch_layout, &audio_->ch_layout);
    audio_frame_->nb_samples = audio_->frame_size > 0 ? audio_->frame_size : 1024;
    if (auto r = check(av_frame_get_buffer(audio_frame_, 0), "audio buffer"); !r) return r;
    return check(avcodec_parameters_from_context(audio_stream_->codecpar, audio_), "audio stream");
  }

  // Encodes audio up to time t so the muxer can interleave it with the video as it goes.
  core::Result<void> write_audio_until(double t) {
    const auto limit = std::min(s_.audio.size(), static_cast<std::size_t>(t * s_.audio_rate));
    const auto frame_size = static_cast<std::size_t>(audio_frame_->nb_samples);
    while (audio_pos_ < s_.audio.size() &&
           (audio_pos_ + frame_size <= limit || limit == s_.audio.size())) {
      if (auto r = check(av_frame_make_writable(audio_frame_), "audio buffer"); !r) return r;
      const std::size_t n = std::min(frame_size, s_.audio.size() - audio_pos_);
      auto* dst = reinterpret_cast<float*>(audio_frame_->data[0]);
      std::memcpy(dst, s_.audio.data() + audio_pos_, n * sizeof(float));
      audio_frame_->nb_samples = static_cast<int>(n);  // only the last frame is short
      audio_frame_->pts = static_cast<std::int64_t>(audio_pos_);
      audio_pos_ += n;
      if (auto r = check(avcodec_send_frame(audio_, audio_frame_), "audio encoding failed"); !r)
        return r;
      if (auto r = drain(audio_, audio_stream_); !r) return r;
    }
    return {};
  }

  core::Result<void> drain(AVCodecContext* ctx, AVStream* stream) {
    while (true) {
      const int err = avcodec_receive_packet(ctx, packet_);
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (auto r = check(err, "encoding failed"); !r) return r;
      av_packet_rescale_ts(packet_, ctx->time_base, stream->time_base);
      packet_->stream_index = stream->index;
      const int w = av_interleaved_write_frame(format_, packet_);
      if (auto r = check(w, "cannot write " + s_.path.string()); !r) return r;
    }
  }

  EncoderSettings s_;
  AVFormatContext* format_ = nullptr;
  AVCodecContext* video_ = nullptr;
  AVCodecContext* audio_ = nullptr;
  AVStream* video_stream_ = nullptr;
  AVStream* audio_stream_ = nullptr;
  AVFrame* audio_frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  std::int64_t frames_ = 0;
  std::size_t audio_pos_ = 0;
};

}  // namespace

EncoderTuning tuning_for(Quality quality) {
  switch (quality) {
    case Quality::low:
      return {"ultrafast", 28, 40, 8, 64000};
    case Quality::medium:
      return {"superfast", 23, 34, 8, 96000};
    case Quality::high:
      return {"veryfast", 20, 30, 6, 128000};
  }
  return {};
}

core::Result<std::unique_ptr<Encoder>> open_ffmpeg_encoder(EncoderSettings settings) {
  // FFmpeg's own log would print on every render (and on the expected GPU probe failure);
  // errors reach the caller as Results instead.
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_FATAL); });
  auto encoder = std::make_unique<FfmpegEncoder>(std::move(settings));
  if (auto r = encoder->open(); !r) return std::unexpected(r.error());
  return std::unique_ptr<Encoder>(std::move(encoder));
}

}  // namespace reelgen::video::detail
