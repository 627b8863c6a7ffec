import { describe, expect, it } from 'vitest';
import { countPost, estimateScript, formatSeconds, graphemes, insertPause, pauseSeconds, postText } from './text';

describe('countPost', () => {
  it('counts graphemes, not UTF-16 units', () => {
    expect(graphemes('👍🏽 ok').length).toBe(4);
    expect(countPost('👨‍👩‍👧 hi').characters).toBe(4);
  });
  it('marks the 125-character cut-off and the 2,200 limit', () => {
    const short = countPost('a'.repeat(125));
    expect(short.truncated).toBe(false);
    const long = countPost('a'.repeat(126));
    expect(long.truncated).toBe(true);
    expect(long.preview).toHaveLength(125);
    expect(countPost('a'.repeat(2200)).overLimit).toBe(false);
    const over = countPost('a'.repeat(2201));
    expect(over.overLimit).toBe(true);
    expect(over.remaining).toBe(-1);
  });
  it('joins caption and hashtags as pasted', () => {
    expect(postText('Hi', ['#a', '#b'])).toBe('Hi\n\n#a #b');
    expect(postText('Hi', [])).toBe('Hi');
  });
});

describe('estimateScript', () => {
  it('counts words and adds pauses', () => {
    const e = estimateScript('One two three. [pause 0.5s] Four five [pause 500ms] six.');
    expect(e.words).toBe(6);
    expect(e.pauseSeconds).toBe(1);
    expect(e.seconds).toBeCloseTo((6 / 150) * 60 + 1, 1);
    expect(e.badMarks).toEqual([]);
  });
  it('reports marks the server refuses and leaves other brackets as words', () => {
    const e = estimateScript('Hi [pause] there [pause 20s] and [pauses] [laughs]');
    expect(e.badMarks).toEqual(['[pause]', '[pause 20s]']);
    expect(e.words).toBe(5);
  });
  it('reads pause lengths within 0.05..10 s', () => {
    expect(pauseSeconds(' 2s')).toBe(2);
    expect(pauseSeconds(' 50ms')).toBeCloseTo(0.05);
    expect(pauseSeconds(' 10.5s')).toBeNull();
    expect(pauseSeconds(' soon')).toBeNull();
  });
});

describe('insertPause', () => {
  it('puts a spaced mark at the cursor and moves the cursor after it', () => {
    const r = insertPause('Hello.There', 6);
    expect(r.text).toBe('Hello. [pause 0.5s] There');
    expect(r.text.slice(0, r.cursor)).toBe('Hello. [pause 0.5s] ');
    expect(insertPause('', 0).text).toBe('[pause 0.5s] ');
    expect(insertPause('Hi', 2).text).toBe('Hi [pause 0.5s] ');
  });
});

describe('formatSeconds', () => {
  it('writes seconds and minutes', () => {
    expect(formatSeconds(4.4)).toBe('4 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
  });
});
