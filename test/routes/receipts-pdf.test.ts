import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFStream, PDFString, type PDFObject } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements, receipts } from '../../db/schema.js';
import { sanitizePdf } from '../../server/domain/pdf-sanitize.js';
import { translator } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';

const ja = translator('ja');
const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
let ctx: TestContext;
let tokyo: TestClient;
let disbursementId: number;

beforeEach(async () => {
  ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  const caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
  disbursementId = makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id }).id;
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
});
afterEach(async () => ctx.close());

const FORBIDDEN_KEYS = ['JS', 'JavaScript', 'AA', 'OpenAction', 'EmbeddedFiles', 'EF', 'Metadata', 'URI', 'Launch'];
const FORBIDDEN_ACTIONS = ['JavaScript', 'Launch', 'URI'];
const MARKERS = ['Author-Marker', 'Creator-Marker', 'Producer-Marker', 'Title-Marker', 'Subject-Marker', 'Keywords-Marker', 'XMP-Marker', 'pdf-lib'];

/** What a checker finds in a PDF: forbidden keys and actions anywhere, and the document information. */
async function inspect(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const found = new Set<string>();
  const visit = (value: PDFObject | undefined): void => {
    const dict = value instanceof PDFStream ? value.dict : value;
    if (dict instanceof PDFDict) {
      for (const [key, inner] of dict.entries()) {
        if (FORBIDDEN_KEYS.includes(key.decodeText())) found.add(`/${key.decodeText()}`);
        if (key.decodeText() === 'S' && inner instanceof PDFName && FORBIDDEN_ACTIONS.includes(inner.decodeText())) found.add(`/S /${inner.decodeText()}`);
        visit(inner);
      }
    } else if (dict instanceof PDFArray) for (const inner of dict.asArray()) visit(inner);
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object);
  return { found: [...found].sort(), hasInfo: doc.context.trailerInfo.Info !== undefined, pages: doc.getPageCount() };
}

/** A receipt PDF carrying everything a sanitizer must remove, built with pdf-lib's low-level API. */
async function hostilePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 400]);
  page.drawText('Receipt 5,000 yen', { x: 20, y: 350, size: 12 });
  doc.setAuthor('Author-Marker');
  doc.setCreator('Creator-Marker');
  doc.setProducer('Producer-Marker');
  doc.setTitle('Title-Marker');
  doc.setSubject('Subject-Marker');
  doc.setKeywords(['Keywords-Marker']);
  await doc.attach(Buffer.from('an attached file'), 'secret.txt', { mimeType: 'text/plain' });
  const c = doc.context;
  const js = (code: string) => c.obj({ S: 'JavaScript', JS: PDFString.of(code) });
  const xmp = c.register(c.stream('<x:xmpmeta><dc:creator>XMP-Marker</dc:creator></x:xmpmeta>', { Type: 'Metadata', Subtype: 'XML' }));
  doc.catalog.set(PDFName.of('Metadata'), xmp);
  doc.catalog.set(PDFName.of('OpenAction'), c.register(js('app.alert(1)')));
  doc.catalog.set(PDFName.of('AA'), c.obj({ WC: js('app.alert(2)') }));
  const names = c.obj({});
  doc.catalog.set(PDFName.of('Names'), names);
  names.set(PDFName.of('JavaScript'), c.obj({ Names: [PDFHexString.fromText('run'), c.register(js('app.alert(3)'))] }));
  page.node.set(PDFName.of('AA'), c.obj({ O: js('app.alert(4)') }));
  page.node.set(PDFName.of('Metadata'), xmp);
  const link = c.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 20], A: { S: 'URI', URI: PDFString.of('https://tracker.example/open') } });
  const launch = c.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 30, 100, 50], A: { S: 'Launch', F: PDFString.of('calc.exe') } });
  const field = c.register(c.obj({ FT: 'Tx', T: PDFString.of('f'), AA: { K: js('app.alert(5)') } }));
  doc.catalog.set(PDFName.of('AcroForm'), c.obj({ Fields: [field] }));
  page.node.set(PDFName.of('Annots'), c.obj([c.register(link), c.register(launch)]));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const storedFiles = () => {
  const dir = path.join(ctx.dataDir, 'receipts');
  return existsSync(dir) ? readdirSync(dir) : [];
};
const attach = (data: Buffer) => postMultipart(ctx.app, tokyo, `/disbursements/${disbursementId}/receipts`, {}, [{ name: 'receipt', filename: 'r.pdf', data }]);

describe('PDF receipts are stored sanitized or not at all', () => {
  it('drops document information, XMP, scripts, automatic actions, links out and attached files', async () => {
    const original = await hostilePdf();
    const before = await inspect(original);
    expect(before.hasInfo).toBe(true);
    expect(before.found).toEqual(
      expect.arrayContaining([
        '/AA',
        '/EF',
        '/EmbeddedFiles',
        '/JS',
        '/JavaScript',
        '/Metadata',
        '/OpenAction',
        '/S /JavaScript',
        '/S /Launch',
        '/S /URI',
        '/URI',
      ]),
    );

    const response = await attach(original);
    expect(response.statusCode).toBe(303);
    const row = ctx.db.select().from(receipts).get()!;
    expect(row.mediaType).toBe('application/pdf');
    const stored = readFileSync(path.join(ctx.dataDir, 'receipts', row.storageName));
    expect(row.byteSize).toBe(stored.length);
    const after = await inspect(stored);
    expect(after).toEqual({ found: [], hasInfo: false, pages: 1 });
    const text = stored.toString('latin1');
    for (const marker of [...MARKERS, 'tracker.example', 'calc.exe', 'app.alert', 'secret.txt']) expect(text).not.toContain(marker);
  });

  it('keeps the pages: a plain PDF comes back with the same page count and size', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    doc.addPage([300, 300]);
    const clean = await PDFDocument.load(await sanitizePdf(Buffer.from(await doc.save())));
    expect(clean.getPages().map((p) => [p.getWidth(), p.getHeight()])).toEqual([
      [595, 842],
      [300, 300],
    ]);
  });

  it('refuses a PDF that cannot be parsed with 422 and a clear message, storing nothing', async () => {
    const broken = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    const response = await attach(broken);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(html(ja('receipts.pdfUnreadable')));
    expect(ctx.db.select().from(receipts).all()).toHaveLength(0);
    expect(storedFiles()).toEqual([]);
  });

  it('refuses an encrypted PDF, which cannot be rewritten, with its own message', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: 'Standard', V: 2, R: 3 }));
    const response = await attach(Buffer.from(await doc.save({ useObjectStreams: false })));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(html(ja('receipts.pdfEncrypted')));
    expect(storedFiles()).toEqual([]);
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(1);
  });
});
