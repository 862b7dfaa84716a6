import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * Built with `vite build web --config web/vite.config.ts`: the root is `web/`, output `web/dist`.
 * `base: './'` keeps asset URLs relative so the same files work from the local server at `/`
 * and from any S3/CloudFront prefix. The API URL is not baked in: it comes from `config.json`.
 */
const apiTarget = process.env.HISHAMOS_API ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/v1': apiTarget,
      '/health': apiTarget,
    },
  },
});
