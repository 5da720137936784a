// Build: web/dist, served by the node at /. Development: `LIANDONG_NODE=http://127.0.0.1:8080
// npm run dev` proxies /api (HTTP and the WebSocket stream) to a running node.
import { defineConfig } from 'vite';

const node = process.env.LIANDONG_NODE ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // keep Leaflet's images as files (no data: URLs needed by a CSP)
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': { target: node, changeOrigin: true, ws: true },
      '/metrics': { target: node, changeOrigin: true },
    },
  },
});
