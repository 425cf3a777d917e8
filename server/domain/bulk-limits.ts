/** At most this many records in one 「選択したものを承認」: two pages of the queue. */
export const MAX_BULK_ITEMS = 100;
