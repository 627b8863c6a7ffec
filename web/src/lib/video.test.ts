import { describe, expect, it } from 'vitest';
import { backgroundValue, isFinal, progressLabel, videoRequest, type VideoForm } from './video';

const form: VideoForm = {
  script: 'Hi there.', title: ' Launch ', avatarId: 'ava', voiceId: '', language: '', aspect: '9:16', resolution: '720p',
  draft: true, background: { mode: 'colour', colour: '#AABBCC', from: '#000000', to: '#ffffff', uploadId: '' },
  subtitles: { enabled: true, position: 'bottom', style: 'box', highlight: false }, portraitUploadId: '',
};

describe('videoRequest', () => {
  it('writes the API fields the form sets', () => {
    expect(videoRequest(form)).toEqual({
      script: 'Hi there.', title: 'Launch', avatar_id: 'ava', aspect_ratio: '9:16', resolution: '720p', test: true,
      background: '#aabbcc', subtitles: { enabled: true, position: 'bottom', style: 'box', highlight: false },
    });
  });
  it('animates an uploaded portrait and uses an uploaded background', () => {
    const req = videoRequest({ ...form, portraitUploadId: 'upl_1', draft: false,
      background: { ...form.background, mode: 'image', uploadId: 'upl_2' } });
    expect(req.avatar_id).toBe('portrait');
    expect(req.portrait_upload_id).toBe('upl_1');
    expect(req.background).toBe('upload:upl_2');
    expect(req.test).toBeUndefined();
  });
});

describe('backgroundValue', () => {
  it('writes colours, gradients and uploads as the API reads them', () => {
    expect(backgroundValue({ ...form.background, mode: 'gradient', from: '#112233', to: '#445566' })).toBe('gradient:#112233:#445566');
    expect(backgroundValue({ ...form.background, mode: 'image', uploadId: '' })).toBeUndefined();
  });
});

describe('progress', () => {
  const job = { video_id: 'vid_1', status: 'processing', stage: 'render', progress: 42.4, eta_seconds: 3.2, created_at: '', urls: {} };
  it('shows stage, percent and ETA', () => {
    expect(progressLabel(job)).toBe('render · 42 % · about 4 s left');
    expect(progressLabel({ ...job, status: 'completed', progress: 100 })).toBe('completed · 100 %');
    expect(progressLabel({ ...job, status: 'queued' })).toBe('queued');
  });
  it('knows the final states', () => {
    expect(['completed', 'failed', 'cancelled', 'expired'].every(isFinal)).toBe(true);
    expect(isFinal('processing')).toBe(false);
  });
});
