import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          ORIGIN: "http://origin.test",
          ORIGIN_TIMEOUT_MS: "300",
          VITRIN_EDGE_SECRET: "test-secret",
        },
      },
    }),
  ],
  test: {
    // Only the workerd unit/integration tests; e2e/ (real wrangler dev + origin) runs elsewhere.
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
