import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, NotFound } from '../../server/domain/errors.js';
import { isId, parseQuery, pathId, queryDate, queryId, queryPage, requiredQueryId } from '../../server/forms/params.js';

const NOT_IDS = ['', '0', '01', '-1', '1.5', '1e3', ' 1', '1 ', '０１', '١', '12345678901', 'abc', '0x10'];

describe('ids in a URL', () => {
  it('accepts plain positive numbers up to ten digits', () => {
    for (const value of ['1', '42', '9999999999']) expect(isId(value)).toBe(true);
    expect(pathId({ params: { id: '9999999999' } })).toBe(9_999_999_999);
    expect(pathId({ params: { caseId: '7' } }, 'caseId')).toBe(7);
  });

  it('a bad path id is a 404, never a 500', () => {
    for (const value of [...NOT_IDS, undefined, ['1'], { a: '1' }, 1]) {
      expect(isId(value)).toBe(false);
      expect(() => pathId({ params: { id: value } })).toThrow(NotFound);
    }
    expect(() => pathId({ params: undefined })).toThrow(NotFound);
  });

  it('a bad required query id is a 400', () => {
    expect(requiredQueryId('12')).toBe(12);
    for (const value of [...NOT_IDS, undefined, ['1']]) {
      let error: unknown;
      try {
        requiredQueryId(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).not.toBeInstanceOf(NotFound);
      expect((error as DomainError).messageKey).toBe('errors.badRequest');
    }
  });
});

describe('query values', () => {
  const schema = z.object({ org: queryId, page: queryPage, from: queryDate });

  it('absent and empty are the same; the page defaults to 1', () => {
    expect(parseQuery(schema, {})).toEqual({ org: undefined, page: 1, from: undefined });
    expect(parseQuery(schema, { org: '', page: '', from: '' })).toEqual({ org: undefined, page: 1, from: undefined });
    expect(parseQuery(schema, undefined)).toEqual({ org: undefined, page: 1, from: undefined });
    expect(parseQuery(schema, { org: '3', page: '2', from: '2024-02-29' })).toEqual({ org: 3, page: 2, from: '2024-02-29' });
  });

  it('a malformed value is a 400', () => {
    for (const query of [{ org: '0' }, { org: ['1'] }, { page: '1000000' }, { from: '2023-02-29' }, { from: '2025-1-1' }]) {
      expect(() => parseQuery(schema, query)).toThrow(DomainError);
    }
  });
});
