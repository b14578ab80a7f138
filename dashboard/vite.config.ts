// The dashboard's build: one HTML page, hashed JS and CSS under assets/, nothing inlined (the
// strict Content-Security-Policy allows scripts, styles and images from the dashboard's own origin
// only), served by the stack under /dashboard/.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/dashboard/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs, which the CSP would refuse
    modulePreload: { polyfill: false }, // modern browsers only; nothing extra in the entry
    chunkSizeWarningLimit: 200,
  },
  // `npm run dev`: the typed client lives beside the dashboard (../client), and API calls go to the
  // page's own origin, so the dev server forwards /v1 to a running stack (`npm start`, port 3000).
  server: {
    fs: { allow: [".."] },
    proxy: { "/v1": process.env.PAYRAIL_API ?? "http://127.0.0.1:3000" },
  },
});
