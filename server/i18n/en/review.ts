import type { review as ja } from '../ja/review.js';

export const review: Record<keyof typeof ja, string> = {
};
