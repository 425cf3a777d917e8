import type { reports as ja } from '../ja/reports.js';

export const reports: Record<keyof typeof ja, string> = {
};
