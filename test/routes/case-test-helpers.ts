import { expect } from 'vitest';
import type { TestClient } from '../helpers/client.js';

/** Open /cases/new and take the form's one-time key, as a browser would. */
export async function formKey(client: TestClient): Promise<string> {
  const page = await client.get('/cases/new');
  expect(page.statusCode).toBe(200);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1];
  if (!key) throw new Error('no idempotencyKey on /cases/new');
  return key;
}

/** Register a case through the real form; returns its id. */
export async function createCaseVia(client: TestClient, fields: Record<string, string>): Promise<number> {
  const response = await client.post('/cases', { householdSize: '2', ...fields, idempotencyKey: await formKey(client) });
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
  const match = /^\/cases\/(\d+)$/.exec(String(response.headers.location));
  if (!match) throw new Error(`unexpected location ${String(response.headers.location)}`);
  return Number(match[1]);
}
