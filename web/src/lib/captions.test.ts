import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, captionRequest } from './captions';

describe('captionRequest', () => {
  it('sends the defaults and leaves out what is empty', () => {
    expect(captionRequest({ ...DEFAULT_FORM, content_description: 'Sunset' })).toEqual({
      content_description: 'Sunset', style: 'casual', language: 'en', length: 'medium', emoji: 'auto', cta: true,
      hashtag_count: 15, generic_hashtags: false, content_type: 'post', variants: 1, optimization_level: 'balanced',
    });
  });
  it('sends every optional field the form sets', () => {
    const req = captionRequest({ ...DEFAULT_FORM, keywords: ' vegan, , protein ', brand_voice: ' bold ', audience: 'athletes',
      seed: '0', provider: 'llm' }, 'Protein bar');
    expect(req).toMatchObject({ content_description: 'Protein bar', keywords: ['vegan', 'protein'], brand_voice: 'bold',
      audience: 'athletes', seed: 0, provider: 'llm' });
  });
});
