#include "video/narration.hpp"

#include <algorithm>
#include <cmath>

#include "video/audio.hpp"
#include "video/field_prefix.hpp"
#include "video/pause_marks.hpp"

namespace reelgen::video::detail {
namespace {

// What a token adds to the text the engine reads: its words and a separating space.
std::size_t spoken_length(std::span<const Token> tokens, std::size_t begin, std::size_t end) {
  std::size_t n = 0;
  for (std::size_t i = begin; i < end; ++i)
    n += tokens[i].spoken.empty() ? 0 : tokens[i].spoken.size() + 1;
  return n;
}

bool ends_clause(const Token& t) {
  return !t.spoken.empty() &&
         (t.spoken.back() == ',' || t.spoken.back() == ';' || t.spoken.back() == ':');
}

// Cuts [begin, end) into units of at most max_chars: sentences (level 0), then clauses (1),
// then runs of words (2).
void cut(std::span<const Token> tokens, std::size_t begin, std::size_t end, std::size_t max_chars,
         int level, std::vector<std::pair<std::size_t, std::size_t>>& out) {
  if (end - begin <= 1 || spoken_length(tokens, begin, end) <= max_chars) {
    out.emplace_back(begin, end);
    return;
  }
  if (level == 2) {
    std::size_t start = begin, length = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t l = spoken_length(tokens, i, i + 1);
      if (length + l > max_chars && i > start) {
        out.emplace_back(start, i);
        start = i;
        length = 0;
      }
      length += l;
    }
    out.emplace_back(start, end);
    return;
  }
  std::size_t start = begin;
  for (std::size_t i = begin; i < end; ++i) {
    const bool boundary = level == 0 ? tokens[i].sentence_end : ends_clause(tokens[i]);
    if (boundary || i + 1 == end) {
      cut(tokens, start, i + 1, max_chars, level + 1, out);
      start = i + 1;
    }
  }
}

struct Piece {
  std::vector<Token> tokens;  // empty for a pause alone
  double pause_after = 0;
  std::size_t chars = 0;
};

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> speech_pieces(std::span<const Token> tokens,
                                                               std::size_t max_chars) {
  if (tokens.empty()) return {};
  if (spoken_length(tokens, 0, tokens.size()) <= max_chars) return {{0, tokens.size()}};
  std::vector<std::pair<std::size_t, std::size_t>> units;
  cut(tokens, 0, tokens.size(), max_chars, 0, units);
  // Neighbouring short units share a piece, so pieces stay few and end at sentence ends.
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  for (const auto& u : units) {
    if (!pieces.empty() && spoken_length(tokens, pieces.back().first, u.second) <= max_chars) {
      pieces.back().second = u.second;
    } else {
      pieces.push_back(u);
    }
  }
  return pieces;
}

core::Result<Narration> narrate(std::span<const NarrationScene> scenes,
                                const NarrationOptions& options, const NarrationTick& tick) {
  // Everything is planned first so that progress is a share of all the speech.
  std::vector<std::vector<Piece>> plan(scenes.size());
  std::size_t total_chars = 0;
  for (std::size_t s = 0; s < scenes.size(); ++s) {
    auto parts = split_pause_marks(scenes[s].script);
    if (!parts) return std::unexpected(with_field_prefix(parts.error(), scenes[s].field_prefix));
    for (const auto& part : *parts) {
      const auto tokens = normalize_text(part.text, scenes[s].language);
      const auto ranges = speech_pieces(tokens, options.max_piece_chars);
      for (std::size_t r = 0; r < ranges.size(); ++r) {
        Piece piece;
        piece.tokens.assign(tokens.begin() + static_cast<std::ptrdiff_t>(ranges[r].first),
                            tokens.begin() + static_cast<std::ptrdiff_t>(ranges[r].second));
        piece.chars = spoken_length(piece.tokens, 0, piece.tokens.size());
        if (r + 1 == ranges.size()) piece.pause_after = part.pause_after;
        total_chars += piece.chars;
        plan[s].push_back(std::move(piece));
      }
      if (ranges.empty() && part.pause_after > 0) plan[s].push_back({{}, part.pause_after, 0});
    }
  }

  Narration n;
  double offset = 0;
  std::size_t done_chars = 0;
  bool synthesized = false;
  // Silence ends the cue on screen, so no subtitle is shown during it.
  auto add_silence = [&n, &offset](double seconds) {
    if (!n.words.empty()) n.words.back().pause_after = true;
    n.silences.push_back({offset, offset + seconds});
    offset += seconds;
  };
  for (std::size_t s = 0; s < scenes.size(); ++s) {
    if (s > 0) add_silence(options.scene_gap);
    n.scene_starts.push_back(offset);
    const VoiceInfo& voice = *scenes[s].voice;
    bool spoke = false;
    for (auto& piece : plan[s]) {
      if (!piece.tokens.empty()) {
        // Between pieces, not before the first: a short script reports as it always did.
        if (synthesized && tick &&
            !tick(total_chars ? static_cast<double>(done_chars) / total_chars : 0)) {
          return core::fail(core::ErrorCode::unavailable, "render cancelled");
        }
        auto speech = engine_for(voice).synthesize(piece.tokens, voice, options.speech);
        if (!speech) return std::unexpected(speech.error());
        synthesized = true;
        done_chars += piece.chars;
        const double length = speech->duration();
        fill_token_gaps(speech->tokens, length);
        if (!speech->samples.empty()) {
          spoke = true;
          auto pcm = resample_speech(speech->samples, speech->sample_rate, options.audio_rate);
          if (!pcm) return std::unexpected(pcm.error());
          const auto at = static_cast<std::size_t>(std::llround(offset * options.audio_rate));
          if (n.audio.size() < at + pcm->size()) n.audio.resize(at + pcm->size(), 0.0f);
          std::copy(pcm->begin(), pcm->end(), n.audio.begin() + static_cast<std::ptrdiff_t>(at));
        }
        for (std::size_t i = 0; i < piece.tokens.size(); ++i) {
          TimedWord word{std::move(piece.tokens[i].display), speech->tokens[i].start + offset,
                         speech->tokens[i].end + offset, piece.tokens[i].sentence_end};
          word.silent = piece.tokens[i].spoken.empty();
          n.words.push_back(std::move(word));
        }
        for (auto p : speech->phones) {
          p.start += offset;
          p.end += offset;
          n.phones.push_back(p);
        }
        offset += length;
      }
      if (piece.pause_after > 0) add_silence(piece.pause_after);
    }
    if (!spoke) {
      return std::unexpected(
          with_field_prefix(core::Error::invalid("script", "speakable", "has no words to speak"),
                            scenes[s].field_prefix));
    }
  }
  n.duration = offset;
  return n;
}

}  // namespace reelgen::video::detail
