export const disbursements = {
} as const;
