#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "video/audio.hpp"
#include "video/avatar.hpp"
#include "video/catalog.hpp"
#include "video/engine.hpp"
#include "video/lip_sync.hpp"
#include "video/loudness.hpp"
#include "video/tts.hpp"

namespace reelgen::video {

core::Result<std::string> engine::avatar_preview_png(std::string_view id, int size) {
  const auto& styles = detail::avatar_styles();
  auto it = std::find_if(styles.begin(), styles.end(), [id](const auto& s) { return s.id == id; });
  if (it == styles.end())
    return core::fail(core::ErrorCode::not_found, "no avatar " + std::string(id));
  if (size < 32 || size > 1024)
    return std::unexpected(core::Error::invalid("size", "range", "size must be 32..1024"));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.13, 0.2, 0.33);
  cairo_paint(cr);
  const detail::Rect box{size / 20, size / 10, size - size / 10, size - size / 10};
  auto avatar = detail::make_vector_avatar(*it, detail::framing_in(box));
  avatar->draw_static(cr);
  detail::AvatarPose pose;
  pose.mouth = {detail::Viseme::open, detail::Viseme::open, 1};
  avatar->draw_dynamic(cr, pose);
  cairo_destroy(cr);
  std::string png;
  const auto status = cairo_surface_write_to_png_stream(
      surface,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return core::fail(core::ErrorCode::internal, "cannot encode the preview");
  return png;
}

namespace {

constexpr int kPreviewRate = 24000;

// One sentence per language that says what the sample is for.
std::string sample_sentence(const VoiceInfo& voice) {
  struct Sample {
    const char* language;
    const char* text;
  };
  static constexpr Sample samples[] = {
      {"es", "Hola, así sueno en tus vídeos."},
      {"fr", "Bonjour, voici ma voix pour vos vidéos."},
      {"de", "Hallo, so klinge ich in deinen Videos."},
      {"it", "Ciao, ecco la mia voce per i tuoi video."},
      {"pt", "Olá, esta é a minha voz nos seus vídeos."},
      {"nl", "Hallo, zo klink ik in jouw video's."},
      {"pl", "Cześć, tak brzmię w twoich filmach."},
      {"sv", "Hej, så här låter jag i dina videor."},
      {"tr", "Merhaba, videolarınızda sesim böyle."},
      {"ru", "Привет, так звучит мой голос в ваших видео."},
      {"id", "Halo, beginilah suara saya di video Anda."},
  };
  for (const auto& s : samples) {
    if (voice.language == s.language) return s.text;
  }
  const std::string first_name = voice.name.substr(0, voice.name.find(' '));
  return "Hi, I'm " + first_name + ". This is how I sound in your videos.";
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::string to_wav(const std::vector<float>& samples, int rate) {
  std::string wav = "RIFF";
  const auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  put_le(wav, 36 + data_bytes, 4);
  wav += "WAVEfmt ";
  put_le(wav, 16, 4);
  put_le(wav, 1, 2);  // PCM
  put_le(wav, 1, 2);  // mono
  put_le(wav, static_cast<std::uint32_t>(rate), 4);
  put_le(wav, static_cast<std::uint32_t>(rate * 2), 4);
  put_le(wav, 2, 2);
  put_le(wav, 16, 2);
  wav += "data";
  put_le(wav, data_bytes, 4);
  for (const float s : samples) {
    const auto v = static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767));
    put_le(wav, static_cast<std::uint16_t>(v), 2);
  }
  return wav;
}

}  // namespace

core::Result<std::string> engine::voice_preview_wav(std::string_view id) {
  const VoiceInfo* voice = find_voice(id);
  if (voice == nullptr)
    return core::fail(core::ErrorCode::not_found, "no voice " + std::string(id));
  const auto tokens = detail::normalize_text(sample_sentence(*voice), voice->language);
  auto speech = detail::engine_for(*voice).synthesize(tokens, *voice, {});
  if (!speech) return std::unexpected(speech.error());
  auto audio = detail::resample_speech(speech->samples, speech->sample_rate, kPreviewRate);
  if (!audio) return std::unexpected(audio.error());
  detail::normalize_loudness(*audio, kPreviewRate, {});
  return to_wav(*audio, kPreviewRate);
}

}  // namespace reelgen::video
