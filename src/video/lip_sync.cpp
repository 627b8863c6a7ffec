#include "video/lip_sync.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>

namespace reelgen::video::detail {

std::string_view to_string(Viseme v) {
  constexpr std::array<std::string_view, kVisemeCount> names = {
      "rest", "closed", "clenched", "open", "wide", "rounded", "puckered", "fv", "l"};
  return names[static_cast<int>(v)];
}

Viseme viseme_for_arpabet(std::string_view p) {
  if (p == "pau" || p == "h#" || p.empty()) return Viseme::rest;
  if (p == "m" || p == "b" || p == "p") return Viseme::closed;
  if (p == "f" || p == "v") return Viseme::fv;
  if (p == "l" || p == "th" || p == "dh") return Viseme::l;
  if (p == "uw" || p == "w" || p == "uh") return Viseme::puckered;
  if (p == "ow" || p == "ao" || p == "oy" || p == "er" || p == "r") return Viseme::rounded;
  if (p == "aa" || p == "ae" || p == "ay" || p == "aw") return Viseme::wide;
  if (p == "ah" || p == "eh" || p == "ey" || p == "hh") return Viseme::open;
  return Viseme::clenched;  // s z t d n k g ch jh sh zh ng y iy ih
}

Viseme viseme_for_ipa(std::string_view p) {
  // espeak-ng names may carry length and stress marks; look at the first code point.
  if (p.empty() || p[0] == '_' || p[0] == ' ') return Viseme::rest;
  const std::string s(p);
  auto starts = [&s](std::string_view prefix) { return s.rfind(prefix, 0) == 0; };
  if (starts("m") || starts("b") || starts("p")) return Viseme::closed;
  if (starts("f") || starts("v") || starts("ɱ")) return Viseme::fv;
  if (starts("l") || starts("ʎ") || starts("θ") || starts("ð") || starts("ɫ")) return Viseme::l;
  if (starts("u") || starts("w") || starts("ʊ") || starts("y") || starts("ʏ") || starts("ɥ"))
    return Viseme::puckered;
  if (starts("o") || starts("ɔ") || starts("ø") || starts("œ") || starts("ɜ") || starts("ɒ") ||
      starts("ʁ") || starts("r") || starts("ɾ") || starts("ɹ"))
    return Viseme::rounded;
  if (starts("a") || starts("ɑ") || starts("æ") || starts("ɐ")) return Viseme::wide;
  if (starts("e") || starts("ɛ") || starts("ə") || starts("ʌ") || starts("h")) return Viseme::open;
  return Viseme::clenched;
}

namespace {

bool is_vowel(Viseme v) {
  return v == Viseme::open || v == Viseme::wide || v == Viseme::rounded || v == Viseme::puckered;
}

// Widens keys[i] to min if it is a closure (or, with vowels, a vowel) that is shorter.
void widen(std::vector<MouthKey>& keys, std::size_t i, double min, bool vowels) {
  auto& k = keys[i];
  const double need = min - (k.end - k.start);
  if (need <= 0 || (vowels ? !is_vowel(k.viseme) : k.viseme != Viseme::closed)) return;
  auto spare = [&](std::size_t j) {
    if (vowels && keys[j].viseme == Viseme::closed) return 0.0;
    return std::max(0.0, keys[j].end - keys[j].start - min / 2);
  };
  double take_prev = 0, take_next = 0;
  if (i > 0) take_prev = std::min(spare(i - 1), need / 2);
  if (i + 1 < keys.size()) take_next = std::min(spare(i + 1), need - take_prev);
  if (i > 0 && take_prev + take_next < need) take_prev = std::min(spare(i - 1), need - take_next);
  if (i > 0) keys[i - 1].end -= take_prev;
  k.start -= take_prev;
  if (i + 1 < keys.size()) keys[i + 1].start += take_next;
  k.end += take_next;
}

}  // namespace

std::vector<MouthKey> build_mouth_track(std::span<const Phone> phones, double end,
                                        const LipSyncOptions& options) {
  std::vector<MouthKey> keys;
  double cursor = 0;
  for (const Phone& p : phones) {
    const double start = std::max(p.start, cursor);
    const double stop = std::min(std::max(p.end, start), end);
    if (stop <= start) continue;
    if (start > cursor) keys.push_back({cursor, start, Viseme::rest});
    keys.push_back({start, stop, p.viseme});
    cursor = stop;
  }
  if (cursor < end) keys.push_back({cursor, end, Viseme::rest});

  auto merge_equal = [&keys] {
    std::vector<MouthKey> out;
    for (const auto& k : keys) {
      if (!out.empty() && out.back().viseme == k.viseme) {
        out.back().end = k.end;
      } else {
        out.push_back(k);
      }
    }
    keys.swap(out);
  };
  merge_equal();

  // Short shapes other than closed lips are absorbed by a neighbour: the longer one that is not
  // a closed shape, so /m b p/ always keep their closure; a short vowel only by a vowel, so the
  // mouth opens on every vowel (it is widened below instead).
  const double min = options.min_duration;
  auto absorbs = [](const MouthKey& neighbour, const MouthKey& k) {
    return neighbour.viseme != Viseme::closed &&
           (!is_vowel(k.viseme) || is_vowel(neighbour.viseme));
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto& k = keys[i];
      if (k.viseme == Viseme::closed || k.end - k.start >= min || keys.size() == 1) continue;
      const bool prev_ok = i > 0 && absorbs(keys[i - 1], k);
      const bool next_ok = i + 1 < keys.size() && absorbs(keys[i + 1], k);
      if (!prev_ok && !next_ok) continue;
      std::size_t into = prev_ok ? i - 1 : i + 1;
      if (prev_ok && next_ok &&
          keys[i + 1].end - keys[i + 1].start > keys[i - 1].end - keys[i - 1].start)
        into = i + 1;
      if (into < i) {
        keys[into].end = k.end;
      } else {
        keys[into].start = k.start;
      }
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
      changed = true;
      break;
    }
    if (changed) merge_equal();
  }

  // Short closures, then short vowels, widen into their neighbours, each neighbour keeping at
  // least half the minimum; a vowel takes nothing from a closure.
  for (const bool vowels : {false, true}) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      widen(keys, i, min, vowels);
    }
  }
  return keys;
}
MouthPose mouth_at(std::span<const MouthKey> track, double t, const LipSyncOptions& options) {
  if (track.empty()) return {};
  auto it = std::upper_bound(track.begin(), track.end(), t,
                             [](double v, const MouthKey& k) { return v < k.start; });
  if (it == track.begin()) return {track.front().viseme, track.front().viseme, 1};
  const auto idx = static_cast<std::size_t>(it - track.begin()) - 1;
  const MouthKey& k = track[idx];
  // Lips snap shut (a closure is a fast movement, and /m b p/ must read as closed); every other
  // change cross-fades.
  if (idx == 0 || k.viseme == Viseme::closed || t - k.start >= options.blend)
    return {k.viseme, k.viseme, 1};
  const double mix = (t - k.start) / options.blend;
  return {track[idx - 1].viseme, k.viseme, mix * mix * (3 - 2 * mix)};  // smoothstep
}

std::vector<double> blink_times(double duration, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> gap(2.0, 6.0);
  std::uniform_real_distribution<double> first(0.8, 2.5);
  std::vector<double> out;
  for (double t = first(rng); t < duration; t += gap(rng)) {
    out.push_back(t);
    // People sometimes blink twice in a row.
    if (rng() % 6 == 0) out.push_back(t += 0.3);
  }
  return out;
}

double eye_openness(std::span<const double> blinks, double t) {
  constexpr double kBlink = 0.15;
  auto it = std::upper_bound(blinks.begin(), blinks.end(), t);
  if (it == blinks.begin()) return 1;
  const double since = t - *(it - 1);
  if (since >= kBlink) return 1;
  const double phase = since / kBlink;  // 0..1: close then open
  return std::abs(2 * phase - 1);
}

IdleMotion idle_motion(double t, std::uint32_t seed) {
  // Incommensurate slow sines read as natural drift, never as a loop.
  const double s = static_cast<double>(seed % 1000) * 0.01;
  IdleMotion m;
  m.dx = 0.010 * std::sin(0.61 * t + s) + 0.005 * std::sin(1.37 * t + 2 * s);
  m.dy = 0.006 * std::sin(0.83 * t + 3 * s) + 0.003 * std::sin(1.91 * t + s);
  m.breath = std::sin(2 * 3.14159265358979 * t / 4.0);  // one breath every 4 s
  return m;
}

ExpressionTrack build_expressions(std::span<const SentenceEnd> sentences, double duration,
                                  std::uint32_t seed) {
  ExpressionTrack track;
  for (const auto& s : sentences) {
    track.nods.push_back(s.end - 0.05);
    if (s.kind == '?' || s.kind == '!') track.brows_up.emplace_back(s.start - 0.25, s.end + 0.3);
  }
  std::mt19937 rng(seed ^ 0x5ACCADEu);
  std::uniform_real_distribution<double> gap(0.6, 2.4), where(-1.0, 1.0), chance(0, 1);
  for (double t = gap(rng); t < duration; t += gap(rng)) {
    // Two times in three the eyes come back to the camera; otherwise a glance aside.
    if (chance(rng) < 0.66) {
      track.saccades.push_back({t, 0, 0});
    } else {
      track.saccades.push_back({t, where(rng), 0.5 * where(rng)});
    }
  }
  return track;
}

Expression expression_at(const ExpressionTrack& track, double t) {
  constexpr double kNod = 0.45, kBrowRamp = 0.15, kSaccade = 0.04;
  Expression e;
  for (const double n : track.nods) {
    if (t >= n && t < n + kNod)
      e.nod = std::max(e.nod, kNodDepth * std::sin(3.14159265358979 * (t - n) / kNod));
  }
  for (const auto& [a, b] : track.brows_up) {
    if (t <= a || t >= b) continue;
    e.brows = std::max(e.brows, std::min({1.0, (t - a) / kBrowRamp, (b - t) / kBrowRamp}));
  }
  auto it = std::upper_bound(track.saccades.begin(), track.saccades.end(), t,
                             [](double v, const ExpressionTrack::Saccade& s) { return v < s.at; });
  if (it != track.saccades.begin()) {
    const auto& now = *(it - 1);
    const double fx = it - 1 == track.saccades.begin() ? 0 : (it - 2)->x;
    const double fy = it - 1 == track.saccades.begin() ? 0 : (it - 2)->y;
    const double k = std::min(1.0, (t - now.at) / kSaccade);  // a saccade takes about 40 ms
    e.gaze_x = fx + (now.x - fx) * k;
    e.gaze_y = fy + (now.y - fy) * k;
  }
  return e;
}

}  // namespace reelgen::video::detail
