import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// web.md §2: one SPA served by the gateway at `/`. `npm run web:dev` proxies the API to a running gateway
// (GATEWAY_URL, default http://localhost:8000) so the dev server and the built app call the same paths.
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the served build: smaller dist, faster `npm ci`.
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: { '/api': gateway, '/health': gateway },
  },
});
