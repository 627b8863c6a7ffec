import { describe, expect, it } from 'vitest';
import { chunks, parseCsv, parseDescriptions, toCsv } from './batch';

describe('parseDescriptions', () => {
  it('reads plain lines', () => {
    expect(parseDescriptions('Sunset at the beach\n\nMorning coffee\n')).toEqual(['Sunset at the beach', 'Morning coffee']);
  });
  it('reads JSON lines of objects or strings', () => {
    const text = '{"content_description": "Vegan bar", "style": "playful"}\n"Yoga class"\n{"description": "Bakery"}';
    expect(parseDescriptions(text)).toEqual(['Vegan bar', 'Yoga class', 'Bakery']);
  });
  it('reads a CSV by its content_description column, quotes and all', () => {
    const text = 'id,content_description\n1,"Tacos, salsa and ""lime"""\n2,"Two\nlines"\n';
    expect(parseDescriptions(text)).toEqual(['Tacos, salsa and "lime"', 'Two\nlines']);
  });
  it('takes whole lines, commas and all, without that header', () => {
    expect(parseDescriptions('a,b\nc,d')).toEqual(['a,b', 'c,d']);
  });
  it('falls back to CSV when lines only look like JSON', () => {
    expect(parseDescriptions('{not json\n{nor this')).toEqual(['{not json', '{nor this']);
  });
});

describe('toCsv', () => {
  it('round-trips through parseCsv', () => {
    const rows = [['description', 'caption'], ['a "quoted", thing', 'line\nbreak'], ['plain', '#tag']];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    expect(toCsv([['x', 1]])).toBe('x,1\r\n');
  });
});

describe('chunks', () => {
  it('splits into batches of ten', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    expect(chunks(items).map((c) => c.length)).toEqual([10, 10, 3]);
    expect(chunks([])).toEqual([]);
  });
});
