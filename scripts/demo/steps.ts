import type { Clock } from '../../server/domain/clock.js';

/** One thing someone did in the app, at the time they did it. */
export interface Step {
  at: string;
  /** Breaks ties at the same instant: a record exists before anyone decides on it. */
  rank: number;
  run: (now: Date) => void;
}

/** Replay the steps in time order with the clock set to each one's time. */
export function runSteps(steps: Step[], clock: Clock & { set(at: string): void }): void {
  const ordered = steps.map((step, index) => ({ step, index }));
  ordered.sort((a, b) => (a.step.at === b.step.at ? a.step.rank - b.step.rank || a.index - b.index : a.step.at < b.step.at ? -1 : 1));
  for (const { step } of ordered) {
    clock.set(step.at);
    step.run(clock.now());
  }
}

const MINUTE = 60_000;
export const shiftMinutes = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * MINUTE).toISOString();
export const earliest = (...isos: string[]) => isos.reduce((a, b) => (b < a ? b : a));
export const latest = (...isos: string[]) => isos.reduce((a, b) => (b > a ? b : a));
export const idOf = (location: string) => Number(location.split('/').pop());
