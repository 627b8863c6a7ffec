"""reelgen video: real MP4s checked with ffprobe and decoded in full by ffmpeg."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN


def run(*args, timeout=120):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def parse_time(text):
    h, m, rest = text.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def parse_cues(text, vtt):
    cues = []
    blocks = text.strip().split("\n\n")
    if vtt:
        assert blocks[0] == "WEBVTT", blocks[0]
        blocks = blocks[1:]
    for block in blocks:
        lines = block.split("\n")
        if not vtt:
            lines = lines[1:]  # the cue number
        start, end = (parse_time(t.strip()) for t in lines[0].split("-->"))
        cues.append((start, end, lines[1:]))
    return cues


class VideoCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="reelgen-video-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def render(self, name, *args):
        out = os.path.join(self.dir, name)
        result = run("video", "-o", out, "-q", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return out, result.stdout

    def assertDecodesCleanly(self, path):
        decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"],
                                 capture_output=True, text=True, timeout=120)
        self.assertEqual(decoded.returncode, 0)
        self.assertEqual(decoded.stderr, "", "the decoder reported errors")

    def assertStreams(self, info, video_codec, audio_codec, width, height, fps, speech):
        streams = {s["codec_type"]: s for s in info["streams"]}
        self.assertEqual(set(streams), {"video", "audio"})
        v, a = streams["video"], streams["audio"]
        self.assertEqual(v["codec_name"], video_codec)
        self.assertEqual(a["codec_name"], audio_codec)
        self.assertEqual((v["width"], v["height"]), (width, height))
        self.assertEqual(v["pix_fmt"], "yuv420p")
        self.assertEqual(v["r_frame_rate"], f"{fps}/1")
        # Audio and video start together.
        self.assertAlmostEqual(float(v.get("start_time", 0)), 0, delta=1e-3)
        self.assertAlmostEqual(float(a.get("start_time", 0)), 0, delta=1e-3)
        # Duration is the speech plus the padding (0.3 s before, 0.6 s after), within a frame.
        duration = float(info["format"]["duration"])
        self.assertAlmostEqual(duration, speech + 0.9, delta=1.0 / fps + 1e-3)
        self.assertAlmostEqual(float(v["duration"]), float(a["duration"]), delta=1.0 / fps)
        # Frame count matches fps x duration.
        frames = int(v["nb_frames"])
        self.assertAlmostEqual(frames, float(v["duration"]) * fps, delta=1)
        return frames

    def summary(self, stdout):
        m = re.search(r"duration ([\d.]+) s \(speech ([\d.]+) s\), (\d+) frames at (\d+) fps", stdout)
        self.assertIsNotNone(m, stdout)
        return float(m.group(1)), float(m.group(2)), int(m.group(3)), int(m.group(4))

    def test_720p_reel_end_to_end(self):
        script = ("Hi, I'm Leo! Maybe Bob bought 3 big maps for $20 at https://example.com today. "
                  "Subtitles follow every word 🚀")
        out, stdout = self.render("reel.mp4", "--script", script, "--avatar", "leo", "--aspect", "9:16",
                                  "--resolution", "720p", "--background", "gradient:#223355:#5566aa")
        info = probe(out)
        self.assertIn("mp4", info["format"]["format_name"])
        duration, speech, frames, fps = self.summary(stdout)
        self.assertEqual(self.assertStreams(info, "h264", "aac", 720, 1280, 30, speech), frames)
        self.assertDecodesCleanly(out)
        # faststart: the index (moov) comes before the media data.
        with open(out, "rb") as f:
            head = f.read(65536)
        self.assertLess(head.find(b"moov"), head.find(b"mdat"))
        # Sidecars.
        with open(out[:-4] + ".jpg", "rb") as f:
            self.assertEqual(f.read(3), b"\xff\xd8\xff")
        words = ["Hi,", "I'm", "Leo!", "Maybe", "Bob", "bought", "3", "big", "maps", "for", "$20", "at",
                 "https://example.com", "today.", "Subtitles", "follow", "every", "word", "🚀"]
        for ext in ("srt", "vtt"):
            with open(out[:-3] + ext, encoding="utf-8") as f:
                cues = parse_cues(f.read(), ext == "vtt")
            self.assertGreaterEqual(len(cues), 3)
            for (s0, e0, _), (s1, e1, _) in zip(cues, cues[1:]):
                self.assertLessEqual(e0, s1 + 1e-3, "cues overlap")
                self.assertLess(s0, s1, "cues out of order")
            for start, end, lines in cues:
                self.assertLess(start, end)
                self.assertLessEqual(len(lines), 2)
                self.assertLessEqual(end, duration + 1e-3)
            shown = " ".join(" ".join(lines) for _, _, lines in cues).split()
            self.assertEqual(shown, words, "every word is in a cue, in order")

    def test_square_webm_in_spanish(self):
        out, stdout = self.render("hola.webm", "--script", "Hola, me llamo Pablo. Vivo en Madrid.",
                                  "--language", "es", "--aspect", "1:1", "--resolution", "360p",
                                  "--avatar", "maya", "--subtitle-style", "box", "--no-sidecars")
        info = probe(out)
        self.assertIn("webm", info["format"]["format_name"])
        _, speech, _, _ = self.summary(stdout)
        streams = {s["codec_type"]: s for s in info["streams"]}
        self.assertEqual(streams["video"]["codec_name"], "vp9")
        self.assertEqual(streams["audio"]["codec_name"], "opus")
        self.assertEqual((streams["video"]["width"], streams["video"]["height"]), (360, 360))
        self.assertAlmostEqual(float(info["format"]["duration"]), speech + 0.9, delta=0.05)
        self.assertDecodesCleanly(out)
        self.assertFalse(os.path.exists(out[:-5] + ".srt"))

    def test_draft_landscape_with_portrait_photo(self):
        photo = os.path.join(self.dir, "face.png")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=400x500",
                        "-frames:v", "1", photo], check=True)
        out, stdout = self.render("portrait.mp4", "--script", "This is my own face, speaking.",
                                  "--avatar", "portrait", "--portrait", photo, "--aspect", "16:9", "--draft")
        _, speech, frames, _ = self.summary(stdout)
        self.assertEqual(self.assertStreams(probe(out), "h264", "aac", 640, 360, 30, speech), frames)
        self.assertDecodesCleanly(out)

    def test_pause_marks_add_silence_without_subtitles(self):
        _, plain = self.render("plain.mp4", "--script", "Hello there. How are you?", "--draft")
        out, paused = self.render("paused.mp4", "--script", "Hello there. [pause 1s] How are you?", "--draft")
        self.assertAlmostEqual(self.summary(paused)[1] - self.summary(plain)[1], 1.2, delta=0.3)
        with open(out[:-3] + "srt", encoding="utf-8") as f:
            cues = parse_cues(f.read(), False)
        self.assertEqual([" ".join(lines) for _, _, lines in cues], ["Hello there.", "How are you?"])
        self.assertGreaterEqual(cues[1][0] - cues[0][1], 1.0, "nothing is shown during the pause")
        # The mark works with espeak-ng voices too.
        _, spanish = self.render("pausa.webm", "--script", "Hola. [pause 500ms] Adiós.", "--language", "es",
                                 "--draft", "--no-sidecars")
        self.assertGreater(self.summary(spanish)[1], 0.5)

    def test_music_is_ducked_under_the_speech(self):
        import array
        import math
        music = os.path.join(self.dir, "music.wav")
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=12", "-ac", "1",
                        music], check=True)
        script = "Hello there, this is a talk over music. [pause 2s] And now the talk goes on again for a while."
        dry, _ = self.render("dry.mp4", "--script", script, "--draft")
        wet, _ = self.render("wet.mp4", "--script", script, "--draft", "--music", music, "--music-volume", "0.5")

        def samples(path):
            raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "16000", "-"],
                                 capture_output=True, check=True).stdout
            return array.array("h", raw)

        # The same speech in both: their difference is the music as mixed.
        a, b = samples(dry), samples(wet)
        music_only = [b[i] - a[i] for i in range(min(len(a), len(b)))]
        with open(wet[:-3] + "srt", encoding="utf-8") as f:
            cues = parse_cues(f.read(), False)

        def rms(t0, t1):
            part = music_only[int(t0 * 16000):int(t1 * 16000)]
            return math.sqrt(sum(v * v for v in part) / len(part))

        # The pause is the longest silence between two cues.
        k = max(range(len(cues) - 1), key=lambda i: cues[i + 1][0] - cues[i][1])
        speaking = rms(cues[0][0] + 0.3, cues[k][1] - 0.3)
        pausing = rms(cues[k][1] + 0.3, cues[k + 1][0] - 0.3)
        self.assertGreater(speaking, 50, "the music plays under the speech")
        self.assertGreater(pausing, 2 * speaking, "and is louder when nobody speaks")

    def test_bad_input_is_a_clear_error_and_leaves_nothing(self):
        out = os.path.join(self.dir, "bad.mp4")
        cases = [
            (["--script", ""], "script"),
            (["--script", "x" * 5001], "5000 characters"),
            (["--script", "Hi", "--avatar", "nobody"], "ava, leo"),
            (["--script", "Hi", "--voice", "nobody"], "kal"),
            (["--script", "Hi", "--language", "xx"], "es"),
            (["--script", "Hola", "--language", "es", "--voice", "kal"], "speaks en"),
            (["--script", "Hi", "--aspect", "4:3"], "9:16"),
            (["--script", "Hi", "--avatar", "portrait", "--portrait", "/nonexistent.png"], "portrait_path"),
            (["--script", "Hi", "--background", "#12345"], "background"),
            (["--script", "Hi [pause 20s] there"], "[pause 0.5s]"),
            (["--script", "Hi [pause soon] there"], "(pause)"),
        ]
        for args, expected in cases:
            result = run("video", "-o", out, "-q", *args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(expected, result.stderr, args)
            self.assertFalse(os.path.exists(out))
        result = run("video", "-o", "/nonexistent-dir/out.mp4", "--script", "Hi")
        self.assertEqual(result.returncode, 2)
        self.assertIn("output", result.stderr)
        # A huge image is refused before anything is rendered.
        huge = os.path.join(self.dir, "huge.png")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:size=5000x300",
                        "-frames:v", "1", huge], check=True)
        result = run("video", "-o", out, "--script", "Hi", "--avatar", "portrait", "--portrait", huge)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("4096", result.stderr)
        self.assertEqual([f for f in os.listdir(self.dir) if f.startswith(".bad")], [], "no temporary files")

    def test_catalog_commands(self):
        avatars = run("avatars")
        self.assertEqual(avatars.returncode, 0)
        ids = [line.split()[0] for line in avatars.stdout.splitlines()[1:]]
        self.assertGreaterEqual(len([i for i in ids if i != "portrait"]), 4)
        previews = tempfile.mkdtemp(dir=self.dir)
        self.assertEqual(run("avatars", "--preview-dir", previews).returncode, 0)
        for i in ids:
            if i != "portrait":
                with open(os.path.join(previews, i + ".png"), "rb") as f:
                    self.assertEqual(f.read(4), b"\x89PNG")
        voices = run("voices")
        self.assertEqual(voices.returncode, 0)
        for v in ("kal", "slt", "rms", "awb", "es", "fr", "de", "it", "pt"):
            self.assertRegex(voices.stdout, rf"(?m)^{re.escape(v)}\s")
        self.assertIn("video", run("--help").stdout)


if __name__ == "__main__":
    unittest.main()
