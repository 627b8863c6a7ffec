// Starts a real `reelgen serve` on a free loopback port with a fresh data directory, and reads
// its URL and first admin key from its output.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export async function startServer(bin, env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'reelgen-e2e-'));
  const proc = spawn(bin, ['serve', '--port', '0', '--threads', '2', '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: process.env.REELGEN_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout });
  let url = null;
  let key = null;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('reelgen serve did not start in 30 s')), 30000);
    proc.once('exit', (code) => reject(new Error(`reelgen serve exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /reelgen listening on (http:\/\/[\d.]+:\d+)/.exec(line);
      if (m) url = m[1];
      if (line.startsWith('rg_')) key = line.trim();
      if (url && key) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  // Keeps draining the output; REELGEN_LOG_LEVEL (e.g. info) shows the server's log.
  lines.on('line', (line) => process.env.REELGEN_LOG_LEVEL && console.error(line));
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/health/ready`).catch(() => null);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    key,
    dataDir,
    async api(method, path, body, key2 = key) {
      const res = await fetch(url + path, {
        method,
        headers: { Authorization: `Bearer ${key2}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, doc: text ? JSON.parse(text) : null };
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
