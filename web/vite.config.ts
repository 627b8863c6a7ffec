import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// Built into dist/ with content-hashed names under assets/; the C++ build embeds dist/.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
