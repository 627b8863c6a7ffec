import { useState } from 'preact/hooks';
import { call } from '../lib/api';
import { useAction } from '../components/useAction';
import type { VideoJob } from '../lib/video';
import { CaptionCard, type CaptionResult } from '../components/CaptionCard';
import { Field, ProblemBox } from '../components/common';
import { JobProgress, Player, useJobEvents } from '../components/VideoJob';
import { CaptionFields } from './Captions';
import { DEFAULT_FORM, captionRequest, type CaptionForm } from '../lib/captions';
import { ScriptEditor } from './Videos';

interface Reel {
  reel_id: string;
  video: VideoJob;
  caption: CaptionResult;
}

export function Reels() {
  const [caption, setCaption] = useState<CaptionForm>(DEFAULT_FORM);
  const [script, setScript] = useState('');
  const [aspect, setAspect] = useState('9:16');
  const [draft, setDraft] = useState(true);
  const [reel, setReel] = useState<Reel | null>(null);
  const { busy, error, problem, run } = useAction();

  useJobEvents(reel?.video ?? null, (video) => setReel((r) => (r ? { ...r, video } : r)));

  function submit(e: Event) {
    e.preventDefault();
    const video: Record<string, unknown> = { script, aspect_ratio: aspect };
    if (draft) video.test = true;
    void run(async () => setReel(await call<Reel>('POST', '/api/v1/reels', { video, caption: captionRequest(caption) })));
  }

  return (
    <section aria-labelledby="reels-title">
      <h2 id="reels-title">Reels</h2>
      <form class="panel" onSubmit={submit}>
        <Field id="reel-description" label="What is the post about?" error={error?.fieldMessage('content_description')}>
          <textarea id="reel-description" rows={2} required value={caption.content_description}
            onInput={(e) => setCaption({ ...caption, content_description: e.currentTarget.value })} />
        </Field>
        <ScriptEditor value={script} onChange={setScript} error={error?.fieldMessage('script')} />
        <details>
          <summary>Caption settings</summary>
          <CaptionFields form={caption} set={(p) => setCaption((c) => ({ ...c, ...p }))} error={error} />
        </details>
        <div class="checks">
          <label>Aspect{' '}
            <select value={aspect} onChange={(e) => setAspect(e.currentTarget.value)} aria-label="Aspect">
              <option>9:16</option><option>1:1</option><option>16:9</option>
            </select>
          </label>
          <label><input type="checkbox" checked={draft} onChange={(e) => setDraft(e.currentTarget.checked)} /> Quick draft</label>
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Submitting…' : 'Make the reel'}</button>
      </form>
      <ProblemBox problem={problem} />
      {reel ? (
        <div class="side-by-side">
          <div class="panel">
            <h3>Video</h3>
            <JobProgress job={reel.video} />
            <Player job={reel.video} />
          </div>
          <CaptionCard result={reel.caption} title="Caption for the post" />
        </div>
      ) : null}
    </section>
  );
}
