// Phones in the field (issue 16): receipts kept across a form error, camera first, the short form.
export const phones = {
  'phones.heldTitle': 'Receipts you chose (not saved yet)',
  'phones.heldNote': 'They are saved with the record when you press Submit. They are removed after one hour.',
  'phones.heldImage': 'Chosen receipt {n} (photo)',
  'phones.heldPdf': 'Chosen receipt {n} (PDF, {size})',
  'phones.heldRemove': 'Remove',
  'phones.heldExpired': 'The receipt you chose earlier was kept for one hour and has now been removed. Please choose it again.',
  'phones.receiptHint': 'A photo (JPEG, PNG, WebP, HEIC) or PDF, up to 10 MB each and 5 files per record. iPhone photos (HEIC) are converted to JPEG; location and other metadata are removed when saved.',
  'phones.camera': 'Take a photo',
  'phones.file': 'Choose a file',
  'phones.chooseRequired': 'Please choose one.',
  'phones.fundDefault': '{name} (default)',
  'phones.fundHint': 'Choose the fund this aid is paid from. The default is “{name}”.',
  'phones.reportFilters': 'Change the period or filters',
  'phones.printedOn': 'Printed {date}',
} as const;
