import type { disbursements as ja } from '../ja/disbursements.js';

export const disbursements: Record<keyof typeof ja, string> = {
};
