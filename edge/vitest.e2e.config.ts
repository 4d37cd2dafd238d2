import { defineConfig } from "vitest/config";

// The end-to-end tests run in Node: they start the origin binary and edge nodes on
// workerd (scripts/dev.sh) and talk to them over HTTP and websockets.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
