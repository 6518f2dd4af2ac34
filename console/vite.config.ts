// Vite builds the console into dist/ (served by the server's console port, server/console.py).
// Preact's JSX through esbuild directly: no Babel preset, so the toolchain stays four packages.
import { defineConfig } from "vite";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false, reportCompressedSize: true },
});
