import { useEffect, useState } from 'preact/hooks';
import { isFinal, progressLabel, type VideoJob } from '../lib/video';

// Follows a job over its signed events URL until it ends; calls onUpdate with every state.
export function useJobEvents(job: VideoJob | null, onUpdate: (job: VideoJob) => void) {
  const id = job?.video_id;
  const url = job?.urls.events;
  useEffect(() => {
    if (!id || !url || isFinal(job.status)) return;
    const source = new EventSource(url);
    const handle = (e: MessageEvent) => {
      const next = JSON.parse(e.data) as VideoJob;
      onUpdate(next);
      if (isFinal(next.status)) source.close();
    };
    for (const name of ['progress', 'completed', 'failed', 'cancelled', 'expired']) {
      source.addEventListener(name, handle as EventListener);
    }
    return () => source.close();
  }, [id, url]);
}

export function JobProgress({ job }: { job: VideoJob }) {
  return (
    <div class="job-progress">
      <progress max={100} value={job.progress} aria-label={`progress of ${job.title || job.video_id}`} />
      <span class="job-status" aria-live="polite">{progressLabel(job)}</span>
      {job.error ? <p class="field-error">{job.error}</p> : null}
    </div>
  );
}

export function Player({ job }: { job: VideoJob }) {
  const [failed, setFailed] = useState(false);
  if (job.status !== 'completed' || !job.urls.file) return null;
  return (
    <div class="player">
      <video controls preload="metadata" playsInline src={job.urls.file} poster={job.urls.thumbnail}
        width={job.width} height={job.height}
        aria-label={`video ${job.title || job.video_id}`} onError={() => setFailed(true)}>
        <track kind="subtitles" src={job.urls.subtitles_vtt} srclang="en" label="Subtitles" />
      </video>
      {failed ? <p class="field-error">The video could not be loaded; its link may have expired. Reopen it from the list.</p> : null}
      <div class="actions">
        <a class="button small" href={job.urls.file} download={`${job.video_id}.mp4`}>Download video</a>
        <a class="button small" href={job.urls.subtitles_srt} download={`${job.video_id}.srt`}>SRT</a>
        <a class="button small" href={job.urls.subtitles_vtt} download={`${job.video_id}.vtt`}>VTT</a>
        <a class="button small" href={job.urls.thumbnail} download={`${job.video_id}.jpg`}>Thumbnail</a>
      </div>
      {job.duration !== undefined ? <p class="muted">{job.duration.toFixed(1)} s</p> : null}
    </div>
  );
}
