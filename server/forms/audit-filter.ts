import { z } from 'zod';
import { queryDate, queryId, queryPage, queryToken } from './params.js';

/** GET /audit?from=&to=&actor=&action=&entityType=&entityId=&page= */
export const auditQuery = z
  .object({
    from: queryDate,
    to: queryDate,
    actor: queryId,
    action: queryToken(/^[a-z][a-z0-9_.]{0,63}$/),
    entityType: queryToken(/^[a-z][a-z0-9_]{0,31}$/),
    entityId: queryToken(/^[A-Za-z0-9_.:-]{1,64}$/),
    page: queryPage,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to);
