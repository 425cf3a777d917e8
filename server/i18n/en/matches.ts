// Possible same person across groups (issue 14 ★).
export const matches = {
  'nav.matches': 'Same person?',
  'matches.title': 'Possible same person in another group',
  'matches.intro': 'Cases of different groups whose keyed fingerprints (normalized name and nationality) are equal. Names are never compared or stored in clear, and the groups are not told.',
  'matches.empty': 'Nothing to check.',
  'matches.pair': '{codeA} of {groupA} and {codeB} of {groupB}',
  'matches.decision': 'Decision',
  'matches.decision.none': 'Not checked',
  'matches.decision.same': 'Same person',
  'matches.decision.different': 'Different people',
  'matches.mark.same': 'Mark as the same person',
  'matches.mark.different': 'Mark as different people',
  'matches.decided': 'Decision recorded.',
  'matches.peopleUniqueAcrossGroups': 'People (unique), counting each person confirmed as the same across groups once: {n}',
  'matches.possibleSame': 'Possibly the same person as case {code} of {group}',
} as const;
