// Possible same person across groups (issue 14 ★).
export const matches = {
  'nav.matches': '同一人物の確認',
  'matches.title': '他団体と同一人物の可能性',
  'matches.intro': '名前（表記ゆれを吸収したもの）と国籍の鍵付きハッシュが一致した、別々の団体のケースです。名前そのものは比べず、保存もしていません。各団体には知らせません。',
  'matches.empty': '確認が必要な組み合わせはありません。',
  'matches.pair': '{groupA}の{codeA} と {groupB}の{codeB}',
  'matches.decision': '判断',
  'matches.decision.none': '未確認',
  'matches.decision.same': '同一人物',
  'matches.decision.different': '別人',
  'matches.mark.same': '同一人物とする',
  'matches.mark.different': '別人とする',
  'matches.decided': '判断を記録しました。',
  'matches.peopleUniqueAcrossGroups': '同一人物と確認された人を1人と数えた実人数: {n}人',
  'matches.possibleSame': '{group}のケース {code} と同一人物の可能性',
} as const;
