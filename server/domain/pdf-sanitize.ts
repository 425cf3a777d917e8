import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';
import { InvalidInput } from './errors.js';

/** A receipt is a few pages; more is not a receipt, and copying thousands of pages blocks the server. */
export const MAX_PDF_PAGES = 100;

/**
 * Keys that carry metadata about the person or the device (XMP, application data) or that run
 * something when the file is opened (scripts, auto-actions, attached files).
 */
const STRIPPED_KEYS = ['JS', 'JavaScript', 'AA', 'OpenAction', 'EmbeddedFiles', 'EF', 'FS', 'Metadata', 'PieceInfo', 'URI', 'XFA', 'Launch'].map((k) =>
  PDFName.of(k),
);
/** Actions that reach outside the document (web, files, other programs, form submission). */
const UNSAFE_ACTIONS = new Set([
  'JavaScript',
  'Launch',
  'URI',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
  'RichMediaExecute',
  'Rendition',
  'Movie',
  'Sound',
]);
/** Annotations that carry a file or a player rather than a mark on the page. */
const UNSAFE_ANNOTATIONS = new Set(['FileAttachment', 'RichMedia', 'Screen', 'Movie', 'Sound', '3D']);

const nameOf = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
};

/** A dictionary (or a stream's) to drop entirely wherever it is referenced. */
function isUnsafe(context: PDFContext, value: PDFObject | undefined): boolean {
  const target = value instanceof PDFRef ? context.lookup(value) : value;
  const dict = target instanceof PDFStream ? target.dict : target;
  if (!(dict instanceof PDFDict)) return false;
  const action = nameOf(dict, 'S');
  const subtype = nameOf(dict, 'Subtype');
  return (action !== undefined && UNSAFE_ACTIONS.has(action)) || (dict.has(PDFName.of('Rect')) && subtype !== undefined && UNSAFE_ANNOTATIONS.has(subtype));
}

function cleanDict(context: PDFContext, dict: PDFDict): void {
  for (const key of STRIPPED_KEYS) dict.delete(key);
  // An annotation's page back-reference would drag the whole original page tree into the copy.
  if (dict.has(PDFName.of('Rect')) && dict.has(PDFName.of('Subtype'))) dict.delete(PDFName.of('P'));
  for (const [key, value] of dict.entries()) {
    if (isUnsafe(context, value)) dict.delete(key);
    else cleanDirect(context, value);
  }
}

function cleanArray(context: PDFContext, array: PDFArray): void {
  for (let i = array.size() - 1; i >= 0; i -= 1) {
    const value = array.get(i);
    if (isUnsafe(context, value)) array.remove(i);
    else cleanDirect(context, value);
  }
}

/** Indirect objects are each visited once by the caller; here only values nested in place. */
function cleanDirect(context: PDFContext, value: PDFObject): void {
  if (value instanceof PDFDict) cleanDict(context, value);
  else if (value instanceof PDFArray) cleanArray(context, value);
}

/**
 * Rewrite a PDF receipt so that only its pages remain: no document information (author,
 * creator, producer, title…), no XMP, no scripts or automatic actions, no links out, no
 * attached files. The pages are copied into a new document, so whatever the old catalog held
 * (and every object nothing references any more) is left behind. Refused: what cannot be parsed.
 */
export async function sanitizePdf(bytes: Buffer): Promise<Buffer> {
  const refuse = (key: string) => new InvalidInput({ receipt: key });
  let source: PDFDocument;
  try {
    source = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    throw refuse('receipts.pdfUnreadable');
  }
  // Encrypted objects cannot be read, so neither cleaned: such a file is refused, not stored.
  if (source.isEncrypted) throw refuse('receipts.pdfEncrypted');
  try {
    const pageCount = source.getPageCount();
    if (pageCount === 0 || pageCount > MAX_PDF_PAGES) throw refuse('receipts.pdfUnreadable');
    for (const [, object] of source.context.enumerateIndirectObjects()) {
      if (object instanceof PDFStream) cleanDict(source.context, object.dict);
      else cleanDirect(source.context, object);
    }
    const clean = await PDFDocument.create({ updateMetadata: false });
    for (const page of await clean.copyPages(source, source.getPageIndices())) clean.addPage(page);
    // Without object streams every dictionary stays readable in the file, for anyone who checks.
    return Buffer.from(await clean.save({ useObjectStreams: false, updateFieldAppearances: false }));
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw refuse('receipts.pdfUnreadable');
  }
}
