import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { pathId } from '../../forms/params.js';

/** What differs between the admin nouns that can be switched off and on again. */
export interface Toggle {
  /** The noun's admin path: the routes are `${base}/:id/${off}` and `${base}/:id/reactivate`. */
  base: string;
  off: 'deactivate' | 'retire';
  setActive: (actor: Actor, id: number, isActive: boolean, now: Date) => unknown;
  /** Flash message keys for switching off and on. */
  flash: { off: string; on: string };
  /** Where the admin lands after: the list, or the record's own page. */
  back: (id: number) => string;
}

/** The off / reactivate pair every admin noun has: one domain call (which audits it), a flash, 303 back. */
export function toggleRoutes(app: FastifyInstance, toggle: Toggle): void {
  for (const [verb, isActive] of [
    [toggle.off, false],
    ['reactivate', true],
  ] as const) {
    app.post(`${toggle.base}/:id/${verb}`, async (request, reply) => {
      const id = pathId(request);
      toggle.setActive(request.actor!, id, isActive, app.clock.now());
      reply.flash('success', isActive ? toggle.flash.on : toggle.flash.off);
      return reply.redirect(toggle.back(id), 303);
    });
  }
}
