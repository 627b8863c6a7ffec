// The caption form of the studio and the /api/v14/generate request it makes.

export const STYLES = ['casual', 'professional', 'inspirational', 'playful', 'educational', 'promotional',
  'luxury', 'storytelling', 'call_to_action'] as const;
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt'] as const;
export const LENGTHS = ['short', 'medium', 'long'] as const;
export const EMOJI = ['auto', 'none', 'few', 'many'] as const;
export const CONTENT_TYPES = ['post', 'story', 'reel', 'carousel'] as const;
export const LEVELS = ['ultra_fast', 'balanced', 'quality'] as const;
export const PROVIDERS = ['builtin', 'llm'] as const;

export interface CaptionForm {
  content_description: string;
  style: string;
  language: string;
  length: string;
  emoji: string;
  cta: boolean;
  hashtag_count: number;
  generic_hashtags: boolean;
  keywords: string;
  brand_voice: string;
  audience: string;
  content_type: string;
  variants: number;
  seed: string;
  provider: string;
  optimization_level: string;
}

export const DEFAULT_FORM: CaptionForm = {
  content_description: '', style: 'casual', language: 'en', length: 'medium', emoji: 'auto', cta: true,
  hashtag_count: 15, generic_hashtags: false, keywords: '', brand_voice: '', audience: '',
  content_type: 'post', variants: 1, seed: '', provider: '', optimization_level: 'balanced',
};

// The request body for /api/v14/generate: every field the form sets, the empty ones left out.
export function captionRequest(f: CaptionForm, description = f.content_description): Record<string, unknown> {
  const req: Record<string, unknown> = {
    content_description: description, style: f.style, language: f.language, length: f.length, emoji: f.emoji,
    cta: f.cta, hashtag_count: f.hashtag_count, generic_hashtags: f.generic_hashtags,
    content_type: f.content_type, variants: f.variants, optimization_level: f.optimization_level,
  };
  const keywords = f.keywords.split(',').map((k) => k.trim()).filter(Boolean);
  if (keywords.length) req.keywords = keywords;
  if (f.brand_voice.trim()) req.brand_voice = f.brand_voice.trim();
  if (f.audience.trim()) req.audience = f.audience.trim();
  if (f.seed.trim() !== '') req.seed = Number(f.seed);
  if (f.provider) req.provider = f.provider;
  return req;
}

