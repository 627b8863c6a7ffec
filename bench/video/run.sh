#!/usr/bin/env bash
# One-minute 720p 9:16 talking-avatar video end to end, against the encoder's ceiling: ffmpeg
# encoding the same number of frames of a still image with the same x264 settings and the same
# audio. Writes bench/results/video.md. Run on an idle machine; both commands use both cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${REELGEN_BIN:-$root/build/release/src/app/reelgen}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/bench.mp4
load=$(cut -d" " -f1-3 /proc/loadavg)  # other work on the machine skews both figures alike

cmd=("$bin" video --script-file "$here/script.txt" --avatar ava --aspect 9:16 --resolution 720p
     --quality medium -q -o "$out")
/usr/bin/time -v -o "$work/time.txt" "${cmd[@]}" > "$work/summary.txt"
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
field() { awk -F': ' -v k="$2" '$1 ~ k { print $2 }' "$1"; }
render_wall=$(wall "$work/time.txt")
render_rss=$(field "$work/time.txt" "Maximum resident set size")
render_cpu=$(field "$work/time.txt" "Percent of CPU")

frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$out")
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$out")
size=$(stat -c %s "$out")
# The ceiling's inputs, prepared outside the timing: a still from the middle and the same audio.
ffmpeg -v error -ss 20 -i "$out" -frames:v 1 "$work/still.png"
ffmpeg -v error -i "$out" -vn -c:a pcm_f32le -ar 48000 -ac 1 "$work/audio.wav"

ceiling=(ffmpeg -v error -y -loop 1 -framerate 30 -i "$work/still.png" -i "$work/audio.wav"
         -frames:v "$frames" -c:v libx264 -preset superfast -crf 23 -pix_fmt yuv420p -g 120
         -c:a aac -b:a 96k -ar 48000 -ac 1 -shortest -movflags +faststart "$work/ceiling.mp4")
/usr/bin/time -v -o "$work/ceiling_time.txt" "${ceiling[@]}"
ceiling_wall=$(wall "$work/ceiling_time.txt")
ceiling_rss=$(field "$work/ceiling_time.txt" "Maximum resident set size")
ceiling_cpu=$(field "$work/ceiling_time.txt" "Percent of CPU")
ratio=$(awk -v a="$render_wall" -v b="$ceiling_wall" 'BEGIN { printf "%.2f", a / b }')
realtime=$(awk -v d="$duration" -v w="$render_wall" 'BEGIN { printf "%.1f", d / w }')
# Loudness of the output as the platforms measure it (EBU R 128, true peak).
loudness=$(ffmpeg -nostats -hide_banner -i "$out" -af ebur128=peak=true -f null - 2>&1 |
           awk '/Summary:/ { s = 1 } s && /I:/ { i = $2 } s && /Peak:/ { p = $2 } END { print i " LUFS, true peak " p " dBTP" }')
# Observations kept by hand below this marker survive a rerun.
marker='<!-- observations -->'
kept=""
if [[ -f "$root/bench/results/video.md" ]] && grep -qF "$marker" "$root/bench/results/video.md"; then
  kept=$(sed -n "/$marker/,\$p" "$root/bench/results/video.md")
fi

mkdir -p "$root/bench/results"
cat > "$root/bench/results/video.md" <<MD
# Video benchmark

\`bench/video/run.sh\` on $(nproc) cores, $(date -u +%Y-%m-%d). A one-minute 720p 9:16 video from
\`bench/video/script.txt\` end to end (speech, lip sync, drawing, subtitles, H.264 + AAC, MP4 with
faststart, thumbnail, SRT, VTT), against the encoder's ceiling: \`ffmpeg\` encoding the same number
of frames of a still image with the same x264 settings (superfast, CRF 23) and the same audio.

| | wall | peak RSS | CPU |
| --- | --- | --- | --- |
| reelgen video | ${render_wall} s | $((render_rss / 1024)) MB | ${render_cpu} |
| ffmpeg still-image ceiling | ${ceiling_wall} s | $((ceiling_rss / 1024)) MB | ${ceiling_cpu} |

- ratio to the ceiling: **${ratio}x** (target ≤ 1.25x); **${realtime}x realtime** (target ≥ 5x)
- loudness: ${loudness} (target -14 ± 1 LUFS, ≤ -1 dBTP)
- video: ${duration} s, ${frames} frames, $((size / 1024)) KB
- load average before the run: ${load} (the ratio is the comparable figure on a shared machine)
- targets: ≤ 1.5 s wall, ≤ 1.25x ceiling, peak RSS < 200 MB, both cores busy (CPU near 200%)

Summary printed by the CLI:

\`\`\`
$(cat "$work/summary.txt")
\`\`\`

Commands:

\`\`\`
${cmd[*]}
${ceiling[*]}
\`\`\`
MD
if [[ -n "$kept" ]]; then printf '\n%s\n' "$kept" >> "$root/bench/results/video.md"; fi
cat "$root/bench/results/video.md"
