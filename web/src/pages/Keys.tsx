import { useState } from 'preact/hooks';
import { call, storeKey } from '../lib/api';
import { useAction } from '../components/useAction';
import { Field, ProblemBox } from '../components/common';

export interface KeyInfo {
  key_id: string;
  scope: 'admin' | 'user';
}

export function Keys({ info, onChange }: { info: KeyInfo | null; onChange: (info: KeyInfo | null) => void }) {
  const [key, setKey] = useState('');
  const { busy, problem, run } = useAction();

  function save(e: Event) {
    e.preventDefault();
    void run(async () => {
      const checked = await call<KeyInfo>('GET', '/api/v1/key', undefined, { key: key.trim() });
      storeKey(key.trim());
      setKey('');
      onChange(checked);
    });
  }

  function forget() {
    storeKey('');
    onChange(null);
  }

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API key</h2>
      <div class="panel">
        {info ? (
          <p role="status">
            Using key <code>{info.key_id}</code> ({info.scope === 'admin' ? 'admin: the dashboard is open' : 'user'}).{' '}
            <button type="button" class="small" onClick={forget}>Forget it</button>
          </p>
        ) : (
          <p>No key yet. Create one with <code>reelgen keys create --name studio</code>; the first admin key is printed when the server starts on a new data directory.</p>
        )}
        <form onSubmit={save}>
          <Field id="api-key" label="Key" hint="kept in this browser's storage and sent as Authorization: Bearer, never in a URL">
            <input id="api-key" type="password" autoComplete="off" required value={key}
              onInput={(e) => setKey(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={busy}>{busy ? 'Checking…' : 'Use this key'}</button>
        </form>
        <ProblemBox problem={problem} />
      </div>
    </section>
  );
}
