// Building a video request from the studio's form, and reading a job's progress.

export type BackgroundMode = 'colour' | 'gradient' | 'image';

export interface BackgroundChoice {
  mode: BackgroundMode;
  colour: string;
  from: string;
  to: string;
  uploadId: string;
}

export function backgroundValue(b: BackgroundChoice): string | undefined {
  if (b.mode === 'colour') return b.colour.toLowerCase();
  if (b.mode === 'gradient') return `gradient:${b.from.toLowerCase()}:${b.to.toLowerCase()}`;
  return b.uploadId ? `upload:${b.uploadId}` : undefined;
}

export interface VideoForm {
  script: string;
  title: string;
  avatarId: string;
  voiceId: string;
  language: string;
  aspect: string;
  resolution: string;
  draft: boolean;
  background: BackgroundChoice;
  subtitles: { enabled: boolean; position: string; style: string; highlight: boolean };
  portraitUploadId: string;
}

export function videoRequest(f: VideoForm): Record<string, unknown> {
  const req: Record<string, unknown> = {
    script: f.script,
    aspect_ratio: f.aspect,
    resolution: f.resolution,
    subtitles: { ...f.subtitles },
  };
  if (f.title.trim()) req.title = f.title.trim();
  if (f.portraitUploadId) {
    req.avatar_id = 'portrait';
    req.portrait_upload_id = f.portraitUploadId;
  } else if (f.avatarId) {
    req.avatar_id = f.avatarId;
  }
  if (f.voiceId) req.voice_id = f.voiceId;
  if (f.language) req.language = f.language;
  const background = backgroundValue(f.background);
  if (background) req.background = background;
  if (f.draft) req.test = true;
  return req;
}

export interface VideoJob {
  video_id: string;
  status: string;
  stage: string;
  progress: number;
  eta_seconds?: number;
  error?: string;
  title?: string;
  duration?: number;
  width?: number;
  height?: number;
  created_at: string;
  urls: Record<string, string>;
}

export const FINAL = ['completed', 'failed', 'cancelled', 'expired'];

export function isFinal(status: string): boolean {
  return FINAL.includes(status);
}

export function progressLabel(job: VideoJob): string {
  const pct = `${Math.round(job.progress)} %`;
  if (job.status === 'queued') return 'queued';
  if (isFinal(job.status)) return job.status === 'completed' ? `completed · ${pct}` : job.status;
  const eta = job.eta_seconds !== undefined ? ` · about ${Math.ceil(job.eta_seconds)} s left` : '';
  return `${job.stage || job.status} · ${pct}${eta}`;
}
