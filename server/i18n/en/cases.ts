import type { cases as ja } from '../ja/cases.js';

export const cases: Record<keyof typeof ja, string> = {
};
