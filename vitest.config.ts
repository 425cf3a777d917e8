import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on our 2-core CI machines.
    // Most files wait on a browser, a child process, a server or fsync, so two share two cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Limits catch a hang, they do not measure speed (benchmarks do): with two workers on two
    // cores a file may take twice its time alone, so they leave that room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
