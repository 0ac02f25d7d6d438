// Loaded into a benchmark's server process (node --expose-gc --import <this file>): on SIGUSR2 it
// runs full garbage collections and writes process.memoryUsage() to $BENCH_MEMORY_FILE (whole,
// by rename), so bench/live.ts can say how much memory each idle live connection holds.
import { renameSync, writeFileSync } from 'node:fs';

process.on('SIGUSR2', () => {
  const file = process.env.BENCH_MEMORY_FILE;
  if (!file) return;
  globalThis.gc?.();
  globalThis.gc?.();
  writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
  renameSync(`${file}.tmp`, file);
});
