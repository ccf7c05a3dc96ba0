// Builds the page (web/, entry index.html) into dist/, which the signal server serves. In `vite dev`, the
// API, WebSocket and metrics go to a running server on 8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.P2PCHECK_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/ws': { target: backend, ws: true },
      '/api': backend,
      '/metrics': backend,
    },
  },
});
