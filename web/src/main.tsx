import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, storedKey } from './lib/api';
import { Captions } from './pages/Captions';
import { Videos } from './pages/Videos';
import { Reels } from './pages/Reels';
import { Dashboard } from './pages/Dashboard';
import { Keys, type KeyInfo } from './pages/Keys';
import './style.css';

const PAGES = [
  { id: 'captions', label: 'Captions' },
  { id: 'videos', label: 'Videos' },
  { id: 'reels', label: 'Reels' },
  { id: 'dashboard', label: 'Dashboard', admin: true },
  { id: 'keys', label: 'Key' },
];

function currentPage(): string {
  const id = location.hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.id === id) ? id : 'captions';
}

function App() {
  const [page, setPage] = useState(currentPage());
  const [info, setInfo] = useState<KeyInfo | null>(null);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    const onHash = () => setPage(currentPage());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!storedKey()) {
      setChecked(true);
      return;
    }
    call<KeyInfo>('GET', '/api/v1/key').then(setInfo, () => setInfo(null)).finally(() => setChecked(true));
  }, []);

  const admin = info?.scope === 'admin';
  const visible = PAGES.filter((p) => !p.admin || admin);
  const shown = !checked ? null : !info ? 'keys' : visible.some((p) => p.id === page) ? page : 'captions';

  return (
    <>
      <header class="top">
        <h1>reelgen studio</h1>
        <nav aria-label="Pages">
          <ul>
            {visible.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={shown === p.id ? 'page' : undefined}>{p.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>
        {shown === 'keys' ? <Keys info={info} onChange={setInfo} /> : null}
        {shown === 'captions' ? <Captions /> : null}
        {shown === 'videos' ? <Videos /> : null}
        {shown === 'reels' ? <Reels /> : null}
        {shown === 'dashboard' ? <Dashboard /> : null}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
