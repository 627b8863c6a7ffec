import { CopyButton } from './common';
import { countPost, postText, CAPTION_LIMIT, MORE_CUTOFF } from '../lib/text';

export interface CaptionResult {
  caption: string;
  hashtags: string[];
  emojis: string[];
  quality_score?: number;
  engagement_score?: number;
  readability_score?: number;
  sentiment?: string;
  tone?: string;
  niche?: string;
  variants?: CaptionResult[];
  performance_metrics?: { processing_time: number; cache_hit: boolean; provider: string; fallback?: boolean };
}

export function CaptionCard({ result, title }: { result: CaptionResult; title: string }) {
  const post = postText(result.caption, result.hashtags);
  const count = countPost(post);
  return (
    <article class="card caption-card" aria-label={title}>
      <header class="card-head">
        <h3>{title}</h3>
        {result.performance_metrics ? (
          <span class="badge" title="the provider that wrote this caption">
            {result.performance_metrics.provider}
            {result.performance_metrics.fallback ? ' (fallback)' : ''}
            {result.performance_metrics.cache_hit ? ' · cached' : ''}
          </span>
        ) : null}
      </header>
      <p class="caption-text">{result.caption}</p>
      <p class="hashtags">{result.hashtags.join(' ')}</p>
      {result.emojis.length ? <p class="emojis" aria-label="emojis">{result.emojis.join(' ')}</p> : null}
      <p class={count.overLimit ? 'counter over' : 'counter'}>
        <span class="char-count">{count.characters}</span> / {CAPTION_LIMIT.toLocaleString('en')} characters
        {count.truncated ? ` · feed shows the first ${MORE_CUTOFF}, then "more"` : ' · shown whole in the feed'}
      </p>
      {count.truncated ? (
        <p class="preview">
          <span class="muted">Feed preview: </span>
          {count.preview}… <span class="muted">more</span>
        </p>
      ) : null}
      <dl class="scores">
        {(
          [
            ['quality', result.quality_score],
            ['engagement', result.engagement_score],
            ['readability', result.readability_score],
            ['niche', result.niche],
          ] as const
        )
          .filter(([, value]) => value !== undefined && value !== '')
          .map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <div class="actions">
        <CopyButton text={result.caption} label="caption" />
        <CopyButton text={result.hashtags.join(' ')} label="hashtags" />
        <CopyButton text={result.emojis.join('')} label="emojis" />
        <CopyButton text={post} label="post" />
      </div>
    </article>
  );
}
