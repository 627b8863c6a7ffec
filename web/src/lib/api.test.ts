import { describe, expect, it } from 'vitest';
import { ApiError, call, storeKey, storedKey } from './api';

function fakeFetch(status: number, body: string, type = 'application/problem+json') {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers: { 'Content-Type': type } });
  }) as unknown as typeof fetch;
  return { fetcher, seen };
}

// The error a call fails with; a call that succeeds fails the test.
function failure(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error('the call did not fail');
    },
    (e) => e as ApiError,
  );
}

describe('call', () => {
  it('sends the key as a bearer header, never in the URL', async () => {
    const { fetcher, seen } = fakeFetch(200, '{"ok":true}', 'application/json');
    const doc = await call<{ ok: boolean }>('POST', '/api/v14/generate', { a: 1 }, { key: 'rg_secret', fetcher });
    expect(doc.ok).toBe(true);
    expect(seen[0].url).toBe('/api/v14/generate');
    expect((seen[0].init.headers as Record<string, string>).Authorization).toBe('Bearer rg_secret');
    expect(seen[0].init.body).toBe('{"a":1}');
  });
  it('turns a problem into an ApiError with its detail and fields', async () => {
    const problem = { status: 422, title: 'Unprocessable Content', detail: 'style: must be one of …',
      errors: [{ field: 'requests[2].style', rule: 'enum', message: 'must be one of …' }] };
    const { fetcher } = fakeFetch(422, JSON.stringify(problem));
    const err = await failure(call('POST', '/x', {}, { key: 'k', fetcher }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.message).toBe('style: must be one of …');
    expect(err.fieldMessage('language')).toBeUndefined();
    expect(err.fieldMessage('requests[2].style')).toBe('must be one of …');
  });
  it('matches nested field names by their last part', async () => {
    const { fetcher } = fakeFetch(422, JSON.stringify({ status: 422, detail: 'd',
      errors: [{ field: 'video.script', rule: 'required', message: 'is required' }] }));
    const err = await failure(call('POST', '/x', {}, { key: 'k', fetcher }));
    expect(err.fieldMessage('script')).toBe('is required');
  });
  it('describes an answer that is not a problem', async () => {
    const { fetcher } = fakeFetch(502, '<html>bad gateway</html>', 'text/html');
    const err = await failure(call('GET', '/x', undefined, { key: 'k', fetcher }));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/^HTTP 502/);
  });
});

describe('key storage', () => {
  it('keeps and forgets the key', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    storeKey('rg_1', storage);
    expect(storedKey(storage)).toBe('rg_1');
    storeKey('', storage);
    expect(storedKey(storage)).toBe('');
  });
});
