import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The typed client is used from its source (its types are generated from openapi/calsync.yaml by its own build).
export default defineConfig({
  resolve: {
    alias: {
      "@calsync/client": fileURLToPath(new URL("../clients/typescript/src/index.ts", import.meta.url)),
    },
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { fs: { allow: [".."] } },
});
