import type { FastifyRequest } from 'fastify';
import { nationalityName } from '../domain/figures/labels.js';
import { approximateYen } from '../domain/figures/public.js';
import { monthLabel, periodLabel } from '../domain/periods.js';

/** Words and number formats the report views need, in the request's language. */
export function reportLabels(request: FastifyRequest) {
  return {
    periodLabel: (p: { from: string; to: string }) => periodLabel(p, request.locale),
    monthLabel: (m: string) => monthLabel(m, request.locale),
    nationalityName: (code: string) => nationalityName(code, request.locale),
    approxYen: (amount: number) => approximateYen(amount, request.locale),
    num: (n: number) => n.toLocaleString('en-US'),
  };
}
