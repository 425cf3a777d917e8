import type { Tx } from '../../../db/client.js';
import type { Actor } from '../actor.js';
import type { FieldCipher } from '../field-crypto.js';
import { getFund } from '../funds.js';
import { distinctColumnValues } from '../imports/batches.js';
import { findMoneyInBatch, listMoneyInMappings, savedMoneyInMapping, sourceLabels, stagedRows, type MoneyInPreview } from './batches.js';
import { moneyInHeaders, sourceForWord, type MoneyInMapping } from './plan.js';

/** What the batch page shows: the file read, the mapping to adjust (proposed, saved or last used), the dry run's result. */
export function loadMoneyInPage(
  tx: Tx,
  actor: Actor,
  fundId: number,
  id: number,
  options: { savedMappingId: number | null; draft?: MoneyInMapping; cipher: FieldCipher },
) {
  const batch = findMoneyInBatch(tx, actor, fundId, id);
  const fund = getFund(tx, fundId);
  const headers = JSON.parse(batch.headers) as string[];
  const rows = stagedRows(batch, options.cipher);
  const saved = listMoneyInMappings(tx);
  const chosen = options.savedMappingId === null ? undefined : saved.find((m) => m.id === options.savedMappingId);
  const mapping: MoneyInMapping = options.draft ??
    (chosen ? savedMoneyInMapping(chosen.mapping, headers) : null) ??
    (batch.mapping ? (JSON.parse(batch.mapping) as MoneyInMapping) : null) ?? {
      columns: moneyInHeaders.proposeMapping(headers),
      sourceWords: {},
      defaultSource: 'individual',
    };
  const labels = sourceLabels();
  // The file's own words for source types, each with what it would mean now, for the user to confirm or change.
  const sourceWords = distinctColumnValues(rows, mapping.columns.source, 40).map((word) => ({
    word,
    code: mapping.sourceWords[word] ?? sourceForWord(word, labels) ?? '',
  }));
  return {
    batch,
    fund,
    headers,
    mapping,
    sourceWords,
    samples: rows.slice(0, 3),
    savedMappings: saved.map((m) => ({ id: m.id, name: m.name })),
    preview: batch.preview ? (JSON.parse(batch.preview) as MoneyInPreview) : null,
  };
}
export type MoneyInPage = ReturnType<typeof loadMoneyInPage>;
