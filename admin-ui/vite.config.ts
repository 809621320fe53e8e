import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server that `npm run dev` forwards API and Socket.IO calls to (the server's default PORT). */
const devServer = 'http://localhost:3000';

// The console is served by the Parley server at /admin, under a strict CSP: the build must emit
// only external scripts and stylesheets (no inline code), all under /admin/assets/.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': devServer,
      '/socket.io': { target: devServer, ws: true },
    },
  },
});
