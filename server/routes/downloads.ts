import type { FastifyReply } from 'fastify';
import type { CsvEncoding } from '../domain/csv-export.js';

/** The content type of a CSV file in the encoding it was written in. */
export const csvType = (encoding: CsvEncoding = 'utf8') => `text/csv; charset=${encoding === 'sjis' ? 'Shift_JIS' : 'utf-8'}`;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Every file the app hands out (report CSV/XLSX, audit trail, import errors): saved, never shown,
 * never sniffed. `fileName` must hold no identity (names carry periods and ids only).
 */
export function sendDownload(reply: FastifyReply, type: string, fileName: string, body: Uint8Array) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}
