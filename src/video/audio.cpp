#include "video/audio.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cmath>
#include <memory>
#include <system_error>

namespace reelgen::video::detail {
namespace {

struct SwrFreer {
  void operator()(SwrContext* s) const { swr_free(&s); }
};

std::unique_ptr<SwrContext, SwrFreer> make_swr(const AVChannelLayout& in_layout,
                                               AVSampleFormat in_fmt, int in_rate, int out_rate) {
  SwrContext* swr = nullptr;
  AVChannelLayout mono;
  av_channel_layout_default(&mono, 1);
  if (swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, out_rate,
                          const_cast<AVChannelLayout*>(&in_layout), in_fmt, in_rate, 0,
                          nullptr) < 0 ||
      swr_init(swr) < 0) {
    swr_free(&swr);
    return nullptr;
  }
  return std::unique_ptr<SwrContext, SwrFreer>(swr);
}

void convert(SwrContext* swr, const std::uint8_t** in, int count, int in_rate, int out_rate,
             std::vector<float>& out) {
  const int capacity = static_cast<int>(av_rescale_rnd(swr_get_delay(swr, in_rate) + count,
                                                       out_rate, in_rate, AV_ROUND_UP)) +
                       16;
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(capacity));
  auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + at);
  const int got = swr_convert(swr, &dst, capacity, in, count);
  out.resize(at + static_cast<std::size_t>(std::max(got, 0)));
}

}  // namespace

core::Result<std::vector<float>> resample_speech(std::span<const std::int16_t> samples, int in_rate,
                                                 int out_rate) {
  std::vector<float> out;
  if (samples.empty()) return out;
  AVChannelLayout mono;
  av_channel_layout_default(&mono, 1);
  auto swr = make_swr(mono, AV_SAMPLE_FMT_S16, in_rate, out_rate);
  if (!swr) return core::fail(core::ErrorCode::internal, "cannot resample speech");
  out.reserve(static_cast<std::size_t>(samples.size() * static_cast<double>(out_rate) / in_rate) +
              64);
  const auto* in = reinterpret_cast<const std::uint8_t*>(samples.data());
  convert(swr.get(), &in, static_cast<int>(samples.size()), in_rate, out_rate, out);
  convert(swr.get(), nullptr, 0, in_rate, out_rate, out);  // flush
  return out;
}

core::Result<std::vector<float>> load_audio(const std::filesystem::path& path, int rate,
                                            const std::string& field) {
  auto invalid = [&](std::string message) {
    return std::unexpected(core::Error::invalid(field, "audio", std::move(message)));
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return invalid("cannot read " + path.string() + ": " + ec.message());
  if (size > (64u << 20)) return invalid(path.string() + " is larger than 64 MB");
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0)
    return invalid("cannot open " + path.string());
  std::unique_ptr<AVFormatContext, void (*)(AVFormatContext*)> fmt(
      format, [](AVFormatContext* f) { avformat_close_input(&f); });
  if (avformat_find_stream_info(format, nullptr) < 0)
    return invalid(path.string() + " has no audio");
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (stream < 0 || codec == nullptr) return invalid(path.string() + " has no audio");
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> ctx(
      avcodec_alloc_context3(codec), [](AVCodecContext* c) { avcodec_free_context(&c); });
  avcodec_parameters_to_context(ctx.get(), format->streams[stream]->codecpar);
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0)
    return invalid("cannot decode " + path.string());
  auto swr = make_swr(ctx->ch_layout, ctx->sample_fmt, ctx->sample_rate, rate);
  if (!swr) return invalid("cannot convert the audio of " + path.string());
  std::vector<float> out;
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  const std::size_t max_samples = static_cast<std::size_t>(rate) * 600;  // ten minutes is plenty
  auto receive = [&] {
    while (avcodec_receive_frame(ctx.get(), frame) >= 0) {
      convert(swr.get(), const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples,
              ctx->sample_rate, rate, out);
      av_frame_unref(frame);
    }
  };
  while (out.size() < max_samples && av_read_frame(format, packet) >= 0) {
    if (packet->stream_index == stream && avcodec_send_packet(ctx.get(), packet) >= 0) receive();
    av_packet_unref(packet);
  }
  avcodec_send_packet(ctx.get(), nullptr);
  receive();
  av_packet_free(&packet);
  av_frame_free(&frame);
  if (out.empty()) return invalid(path.string() + " has no audio");
  return out;
}

void mix_music(std::vector<float>& track, std::span<const float> music, int rate, double volume) {
  if (music.empty() || track.empty()) return;
  // Speech activity from 20 ms windows of the track, held for 150 ms to bridge short gaps.
  const std::size_t window = static_cast<std::size_t>(rate / 50);
  std::vector<bool> active((track.size() + window - 1) / window);
  for (std::size_t w = 0; w < active.size(); ++w) {
    double sum = 0;
    const std::size_t end = std::min(track.size(), (w + 1) * window);
    for (std::size_t i = w * window; i < end; ++i) sum += track[i] * track[i];
    active[w] = std::sqrt(sum / static_cast<double>(end - w * window)) > 0.01;
  }
  for (std::size_t w = 0, hold = 0; w < active.size(); ++w) {
    if (active[w])
      hold = 8;
    else if (hold > 0) {
      active[w] = true;
      --hold;
    }
  }
  const double attack = 1.0 - std::exp(-1.0 / (0.05 * rate));  // duck in 50 ms
  const double release = 1.0 - std::exp(-1.0 / (0.4 * rate));  // come back in 400 ms
  const double fade = 0.5 * rate;
  double gain = volume;
  for (std::size_t i = 0; i < track.size(); ++i) {
    const double target = active[i / window] ? volume * 0.25 : volume;
    gain += (target - gain) * (target < gain ? attack : release);
    const double edge = std::min({1.0, i / fade, (track.size() - i) / fade});
    const float mixed = track[i] + static_cast<float>(gain * edge) * music[i % music.size()];
    track[i] = std::clamp(mixed, -1.0f, 1.0f);
  }
}

}  // namespace reelgen::video::detail
