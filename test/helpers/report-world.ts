import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import { auditEvents, funds } from '../../db/schema.js';
import { makeWorld } from './factories.js';
import { makeCase, makeDisbursement } from './money-factories.js';

/** The period the report tests look at. */
export const APRIL = 'from=2025-04-01&to=2025-04-30';

/** A record's money and status; the case and who entered it come from the side it is entered on. */
type Money = Omit<Parameters<typeof makeDisbursement>[1], 'caseId' | 'submittedBy'>;

/**
 * The usual cast, one grant fund and the cases report tests hang money on: TKY-2025-0001 (Tokyo, 3
 * people) and, unless `withOsaka` is false, OSK-2025-0001 (Osaka, 2 people). `tokyo(...)` and
 * `osaka(...)` enter a record on them as that group's supporter; `approved` spread into a record
 * makes it approved by the coordinator. Each file writes its own records: the figures it checks.
 */
export async function makeReportWorld(db: Db, grant: { name: string; budget: number }, options: { withOsaka?: boolean } = {}) {
  const w = await makeWorld(db);
  const fund = db.insert(funds).values(grant).returning().get();
  const tokyoCase = makeCase(db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id, householdSize: 3, code: 'TKY-2025-0001' });
  const osakaCase =
    (options.withOsaka ?? true) ? makeCase(db, { organizationId: w.osaka.id, createdBy: w.osakaSupporter.id, householdSize: 2, code: 'OSK-2025-0001' }) : null;
  return {
    w,
    grant: fund,
    approved: { status: 'approved' as const, decidedBy: w.coordinator.id },
    tokyo: (money: Money) => makeDisbursement(db, { caseId: tokyoCase.id, submittedBy: w.tokyoSupporter.id, ...money }),
    osaka: (money: Money) => {
      if (!osakaCase) throw new Error('this report world was made without the Osaka case');
      return makeDisbursement(db, { caseId: osakaCase.id, submittedBy: w.osakaSupporter.id, ...money });
    },
  };
}

/** The report.exported audit events, oldest first. */
export const exportEvents = (db: Db) =>
  db
    .select()
    .from(auditEvents)
    .all()
    .filter((e) => e.action === 'report.exported');

/** A CSV export's lines: BOM off, split on CRLF, no empty last line. */
export const csvLines = (text: string) =>
  text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter((l) => l !== '');

/** An XLSX export read back with ExcelJS. */
export async function workbook(body: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book;
}
