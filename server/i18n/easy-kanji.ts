// やさしい日本語: kanji a reader may meet without furigana — the 240 taught in 小学校1・2年
// (学年別漢字配当表: 80 in year 1, 160 in year 2). Any other kanji needs ｜漢字《かんじ》.
const YEAR_1 =
  '一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六';
const YEAR_2 =
  '引羽雲園遠何科夏家歌画回会海絵外角楽活間丸岩顔汽記帰弓牛魚京強教近兄形計元言原戸古午後語工公広交光考行高黄合谷国黒今才細作算止市矢姉思紙寺自時室社弱首秋週春書少場色食心新親図数西声星晴切雪船線前組走多太体台地池知茶昼長鳥朝直通弟店点電刀冬当東答頭同道読内南肉馬売買麦半番父風分聞米歩母方北毎妹万明鳴毛門夜野友用曜来里理話';

export const EASY_KANJI: ReadonlySet<string> = new Set([...YEAR_1, ...YEAR_2]);

const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const RUBY = /｜[^｜《》<>]+《[^｜《》<>]+》/g;

/** Kanji outside the basic list that stand without furigana (empty: the text follows the rule). */
export function kanjiNeedingRuby(text: string): string[] {
  const outside = text.replace(RUBY, '');
  return [...new Set([...outside].filter((c) => KANJI.test(c) && !EASY_KANJI.has(c)))];
}
