import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Start the worker module `name` that sits beside the caller (`fromUrl` = its import.meta.url).
 * Compiled (dist/), that is the .js file; from TypeScript, tsx-worker.mjs registers tsx in the
 * thread and imports the .ts file. No eval either way, and one rule for every pool.
 */
export function startModuleWorker(fromUrl: string, name: string, workerData: Record<string, unknown>, resourceLimits?: ResourceLimits): Worker {
  if (fromUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, fromUrl), { execArgv: [], workerData, resourceLimits });
  const tsEntry = new URL(`./${name}.ts`, fromUrl).href;
  return new Worker(new URL('./tsx-worker.mjs', import.meta.url), { execArgv: [], workerData: { ...workerData, tsEntry }, resourceLimits });
}
