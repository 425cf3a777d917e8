// Entry of a worker thread when the app runs from TypeScript (tsx, vitest). On Node 20 a worker's
// entry file does not pass through a loader given in execArgv, so this plain-JS file registers
// tsx's hooks in the worker thread first, then loads the TypeScript worker it was given.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
