// The console: a static single-page app built into dist/console and served by Nest at /console.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // This folder, whatever the working directory (the config is typed for the browser: no node:path).
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
