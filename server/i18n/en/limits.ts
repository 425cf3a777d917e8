// Caps per case and duplicate warnings (issue 14 §2).
export const limits = {
  'limits.warningsTitle': 'Please check before saving',
  'limits.overCap': 'Over the cap: {category} is limited to {cap} per case in {days} days. Already {already}, now {adding}.',
  'limits.duplicate': 'Possible duplicate: the same case and category ({category}) has record #{id} of {amount} on {date}.',
  'limits.overCapReason': 'Reason for going over the cap',
  'limits.overCapReasonHint': 'The reviewer sees it. Do not write anything that identifies the person.',
  'limits.overCapReasonRequired': 'Give a reason to save over the cap.',
  'limits.duplicateConfirm': 'I checked: this is not a duplicate',
  'limits.duplicateConfirmRequired': 'Tick the box to confirm this is not a duplicate.',
  'limits.flagsTitle': 'Warnings at submission',
  'limits.flag.over_cap': 'Over cap',
  'limits.flag.duplicate': 'Possible duplicate',
  'limits.seeOther': 'the other record',
  'limits.reasonGiven': 'Reason: {reason}',
  'limits.recordsOverCap': 'Records over cap: {n}',
} as const;
