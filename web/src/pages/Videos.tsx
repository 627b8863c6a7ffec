import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../lib/api';
import { useAction } from '../components/useAction';
import { estimateScript, formatSeconds, insertPause } from '../lib/text';
import { isFinal, videoRequest, type VideoForm, type VideoJob } from '../lib/video';
import { Field, ProblemBox, Select } from '../components/common';
import { JobProgress, Player, useJobEvents } from '../components/VideoJob';

interface Avatar { avatar_id: string; name: string; description: string; default_voice: string; preview_url: string }
interface Voice { voice_id: string; name: string; language: string; gender: string; engine: string; preview_url: string }

const DEFAULT_VIDEO: VideoForm = {
  script: '', title: '', avatarId: 'ava', voiceId: '', language: '', aspect: '9:16', resolution: '720p', draft: true,
  background: { mode: 'colour', colour: '#223355', from: '#114422', to: '#002211', uploadId: '' },
  subtitles: { enabled: true, position: 'bottom', style: 'outline', highlight: true },
  portraitUploadId: '',
};

// Sends an image to /api/v1/uploads; its id goes into the request.
async function upload(file: File): Promise<string> {
  const doc = await call<{ upload_id: string }>('POST', '/api/v1/uploads', file);
  return doc.upload_id;
}

export function ScriptEditor({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const estimate = estimateScript(value);
  function pause() {
    const at = ref.current?.selectionStart ?? value.length;
    const next = insertPause(value, at);
    onChange(next.text);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.cursor, next.cursor);
    });
  }
  return (
    <Field id="script" label="Script" error={error} hint="[pause 0.5s] inserts silence (0.05–10 s)">
      <textarea id="script" ref={ref} rows={5} required value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      <div class="script-bar">
        <button type="button" class="small" onClick={pause}>Insert [pause 0.5s]</button>
        <span class="script-estimate" aria-live="polite">
          {estimate.words} words · about {formatSeconds(estimate.seconds)}
          {estimate.pauseSeconds ? ` (${estimate.pauseSeconds} s of pauses)` : ''}
        </span>
      </div>
      {estimate.badMarks.length ? (
        <small class="field-error">Not a pause mark: {estimate.badMarks.join(', ')} — write [pause 0.5s] or [pause 500ms]</small>
      ) : null}
    </Field>
  );
}

function AvatarPicker({ avatars, value, onChange }: { avatars: Avatar[]; value: string; onChange: (id: string) => void }) {
  return (
    <fieldset class="avatars">
      <legend>Avatar</legend>
      {avatars.map((a) => (
        <label key={a.avatar_id} class={value === a.avatar_id ? 'avatar chosen' : 'avatar'}>
          <input type="radio" name="avatar" value={a.avatar_id} checked={value === a.avatar_id}
            onChange={() => onChange(a.avatar_id)} />
          <img src={a.preview_url} alt="" width={96} height={96} loading="lazy" />
          <span>{a.name}</span>
        </label>
      ))}
    </fieldset>
  );
}

// Previews the chosen voice, or the avatar's own when none is chosen.
function VoicePicker({ voices, value, fallback, onChange }: {
  voices: Voice[];
  value: string;
  fallback: string;
  onChange: (id: string) => void;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const chosen = voices.find((v) => v.voice_id === (value || fallback));
  function play() {
    if (!chosen || !audio.current) return;
    audio.current.src = chosen.preview_url;
    void audio.current.play();
  }
  return (
    <Field id="voice" label="Voice" hint="empty: the avatar's own voice">
      <div class="inline">
        <select id="voice" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">avatar's voice</option>
          {voices.map((v) => (
            <option key={v.voice_id} value={v.voice_id}>{v.name} · {v.language} · {v.gender} · {v.engine}</option>
          ))}
        </select>
        <button type="button" class="small" onClick={play} disabled={!chosen} aria-label="Play a preview of the voice">▶ Preview</button>
      </div>
      <audio ref={audio} preload="none" />
    </Field>
  );
}

export function Videos() {
  const [form, setForm] = useState<VideoForm>(DEFAULT_VIDEO);
  const set = (patch: Partial<VideoForm>) => setForm((f) => ({ ...f, ...patch }));
  const [avatars, setAvatars] = useState<Avatar[]>([]);
  const [voices, setVoices] = useState<Voice[]>([]);
  const [languages, setLanguages] = useState<string[]>([]);
  const [job, setJob] = useState<VideoJob | null>(null);
  const [list, setList] = useState<VideoJob[]>([]);
  const { busy, error, problem, run, fail } = useAction();
  const refresh = () => call<{ videos: VideoJob[] }>('GET', '/api/v1/videos?limit=20').then((d) => setList(d.videos), fail);

  useEffect(() => {
    call<{ avatars: Avatar[] }>('GET', '/api/v1/avatars').then((d) => setAvatars(d.avatars), fail);
    call<{ voices: Voice[]; languages: string[] }>('GET', '/api/v1/voices').then((d) => {
      setVoices(d.voices);
      setLanguages(d.languages);
    }, fail);
    void refresh();
  }, []);

  useJobEvents(job, (next) => {
    setJob(next);
    if (isFinal(next.status)) void refresh();
  });

  function submit(e: Event) {
    e.preventDefault();
    void run(async () => {
      setJob(await call<VideoJob>('POST', '/api/v1/videos', videoRequest(form)));
      void refresh();
    });
  }

  async function uploadInto(e: Event, apply: (id: string) => void) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      apply(await upload(file));
    } catch (err) {
      fail(err);
    }
  }

  async function open(id: string) {
    try {
      setJob(await call<VideoJob>('GET', `/api/v1/videos/${id}`));
    } catch (err) {
      fail(err);
    }
  }

  async function remove(v: VideoJob) {
    try {
      await call('DELETE', `/api/v1/videos/${v.video_id}`);
      if (job?.video_id === v.video_id && isFinal(v.status)) setJob(null);
      await refresh();
    } catch (err) {
      fail(err);
    }
  }

  const err = (name: string) => error?.fieldMessage(name);
  const bg = form.background;
  return (
    <section aria-labelledby="videos-title">
      <h2 id="videos-title">Videos</h2>
      <form class="panel" onSubmit={submit}>
        <ScriptEditor value={form.script} onChange={(script) => set({ script })} error={err('script')} />
        <Field id="title" label="Title" hint="shown in the list" error={err('title')}>
          <input id="title" value={form.title} maxLength={200} onInput={(e) => set({ title: e.currentTarget.value })} />
        </Field>
        <AvatarPicker avatars={avatars} value={form.portraitUploadId ? 'portrait' : form.avatarId}
          onChange={(avatarId) => set({ avatarId, portraitUploadId: '' })} />
        <Field id="portrait" label="…or animate a portrait photo (PNG or JPEG)" error={err('portrait_upload_id')}
          hint={form.portraitUploadId ? `uploaded: ${form.portraitUploadId}` : undefined}>
          <input id="portrait" type="file" accept="image/png,image/jpeg"
            onChange={(e) => uploadInto(e, (portraitUploadId) => set({ portraitUploadId }))} />
        </Field>
        <VoicePicker voices={voices} value={form.voiceId} onChange={(voiceId) => set({ voiceId })}
          fallback={avatars.find((a) => a.avatar_id === form.avatarId)?.default_voice ?? ''} />
        <div class="grid">
          <Field id="video-language" label="Language" error={err('language')}>
            <Select id="video-language" value={form.language} options={languages} empty="the voice's"
              onChange={(language) => set({ language })} />
          </Field>
          <Field id="aspect" label="Aspect" error={err('aspect_ratio')}>
            <Select id="aspect" value={form.aspect} options={['9:16', '16:9', '1:1']} onChange={(aspect) => set({ aspect })} />
          </Field>
          <Field id="resolution" label="Resolution" error={err('resolution')} hint={form.draft ? 'a draft renders at 360p' : undefined}>
            <Select id="resolution" value={form.resolution} options={['720p', '1080p']}
              onChange={(resolution) => set({ resolution })} />
          </Field>
        </div>
        <fieldset>
          <legend>Background</legend>
          <div class="checks">
            {(['colour', 'gradient', 'image'] as const).map((mode) => (
              <label key={mode}>
                <input type="radio" name="bg-mode" checked={bg.mode === mode}
                  onChange={() => set({ background: { ...bg, mode } })} /> {mode}
              </label>
            ))}
          </div>
          {bg.mode === 'colour' ? (
            <Field id="bg-colour" label="Colour" error={err('background')}>
              <input id="bg-colour" type="color" value={bg.colour}
                onInput={(e) => set({ background: { ...bg, colour: e.currentTarget.value } })} />
            </Field>
          ) : null}
          {bg.mode === 'gradient' ? (
            <div class="inline">
              <Field id="bg-from" label="From" error={err('background')}>
                <input id="bg-from" type="color" value={bg.from}
                  onInput={(e) => set({ background: { ...bg, from: e.currentTarget.value } })} />
              </Field>
              <Field id="bg-to" label="To">
                <input id="bg-to" type="color" value={bg.to}
                  onInput={(e) => set({ background: { ...bg, to: e.currentTarget.value } })} />
              </Field>
            </div>
          ) : null}
          {bg.mode === 'image' ? (
            <Field id="bg-image" label="Image (PNG or JPEG)" error={err('background')}
              hint={bg.uploadId ? `uploaded: ${bg.uploadId}` : undefined}>
              <input id="bg-image" type="file" accept="image/png,image/jpeg"
                onChange={(e) => uploadInto(e, (uploadId) => set({ background: { ...bg, uploadId } }))} />
            </Field>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Subtitles</legend>
          <div class="checks">
            <label><input type="checkbox" checked={form.subtitles.enabled}
              onChange={(e) => set({ subtitles: { ...form.subtitles, enabled: e.currentTarget.checked } })} /> Burn in subtitles</label>
            <label><input type="checkbox" checked={form.subtitles.highlight}
              onChange={(e) => set({ subtitles: { ...form.subtitles, highlight: e.currentTarget.checked } })} /> Highlight the spoken word</label>
          </div>
          <div class="grid">
            <Field id="sub-position" label="Position">
              <Select id="sub-position" value={form.subtitles.position} options={['top', 'center', 'bottom']}
                onChange={(position) => set({ subtitles: { ...form.subtitles, position } })} />
            </Field>
            <Field id="sub-style" label="Style">
              <Select id="sub-style" value={form.subtitles.style} options={['outline', 'box']}
                onChange={(style) => set({ subtitles: { ...form.subtitles, style } })} />
            </Field>
          </div>
        </fieldset>
        <div class="checks">
          <label><input id="draft" type="checkbox" checked={form.draft} onChange={(e) => set({ draft: e.currentTarget.checked })} /> Quick draft (360p, marked DRAFT)</label>
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Submitting…' : 'Make the video'}</button>
      </form>
      <ProblemBox problem={problem} />
      {job ? (
        <div class="panel current-job" aria-label="current video">
          <h3>{job.title || job.video_id}</h3>
          <JobProgress job={job} />
          <Player job={job} />
        </div>
      ) : null}
      <VideoList list={list} onOpen={open} onRemove={remove} onRefresh={refresh} />
    </section>
  );
}

function VideoList({ list, onOpen, onRemove, onRefresh }: {
  list: VideoJob[];
  onOpen: (id: string) => void;
  onRemove: (v: VideoJob) => void;
  onRefresh: () => void;
}) {
  const active = list.some((v) => !isFinal(v.status));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(onRefresh, 3000);
    return () => clearInterval(timer);
  }, [active]);
  return (
    <section class="panel" aria-labelledby="list-title">
      <div class="card-head">
        <h3 id="list-title">Your videos</h3>
        <button type="button" class="small" onClick={onRefresh}>Refresh</button>
      </div>
      {list.length === 0 ? <p class="muted">No videos yet.</p> : null}
      <ul class="video-list">
        {list.map((v) => (
          <li key={v.video_id} data-video-id={v.video_id}>
            <span class="name">{v.title || v.video_id}</span>
            <span class={`status status-${v.status}`}>{v.status}{isFinal(v.status) ? '' : ` ${Math.round(v.progress)} %`}</span>
            <span class="actions">
              {v.status === 'completed' ? <button type="button" class="small" onClick={() => onOpen(v.video_id)}>Open</button> : null}
              <button type="button" class="small" onClick={() => onRemove(v)}>{isFinal(v.status) ? 'Delete' : 'Cancel'}</button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
