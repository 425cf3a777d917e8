import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../db/schema.js';
import { formatDate, formatDateTime, formatMonth, formatYear } from '../../server/domain/date-labels.js';
import { monthLabel, periodLabel } from '../../server/domain/periods.js';
import { approximateYen } from '../../server/domain/figures/public.js';

// What each language writes for 1 April 2025, April 2025 and FY2024 (CLDR via Intl, plus the catalog's words).
const expected: Record<Locale, { day: string; month: string; fy: string; range: string; approx: string; under: string }> = {
  ja: { day: '2025年4月1日', month: '2025年4月', fy: '2024年度', range: '2025年4月〜2025年6月', approx: '約658万円', under: '1万円未満' },
  'ja-x-easy': { day: '2025年4月1日', month: '2025年4月', fy: '2024年度', range: '2025年4月〜2025年6月', approx: 'だいたい658万円', under: '1万円より少ない' },
  en: { day: '1 Apr 2025', month: 'April 2025', fy: 'FY2024', range: 'April 2025 – June 2025', approx: 'approx. ¥6,580,000', under: 'under ¥10,000' },
  vi: {
    day: '1 thg 4, 2025',
    month: 'tháng 4 năm 2025',
    fy: 'Năm tài chính 2024',
    range: 'tháng 4 năm 2025 – tháng 6 năm 2025',
    approx: 'khoảng ¥6,580,000',
    under: 'dưới ¥10,000',
  },
  'zh-Hans': { day: '2025年4月1日', month: '2025年4月', fy: '2024财年', range: '2025年4月至2025年6月', approx: '约¥6,580,000', under: '不足¥10,000' },
  fil: {
    day: 'Abr 1, 2025',
    month: 'Abril 2025',
    fy: 'FY2024',
    range: 'Abril 2025 – Hunyo 2025',
    approx: 'humigit-kumulang ¥6,580,000',
    under: 'mas mababa sa ¥10,000',
  },
  'pt-BR': {
    day: '1 de abr. de 2025',
    month: 'abril de 2025',
    fy: 'Ano fiscal 2024',
    range: 'abril de 2025 a junho de 2025',
    approx: 'aprox. ¥6,580,000',
    under: 'menos de ¥10,000',
  },
  ne: { day: '२०२५ अप्रिल १', month: '२०२५ अप्रिल', fy: 'आर्थिक वर्ष २०२४', range: '२०२५ अप्रिल – २०२५ जुन', approx: 'लगभग ¥6,580,000', under: '¥10,000 भन्दा कम' },
};

describe('dates follow the locale', () => {
  it('covers every UI language', () => {
    expect(Object.keys(expected).sort()).toEqual([...LOCALES].sort());
  });

  for (const locale of LOCALES) {
    const want = expected[locale];
    it(`${locale}: a day, a month, a fiscal year and a range of months`, () => {
      expect(formatDate('2025-04-01', locale)).toBe(want.day);
      expect(formatMonth('2025-04', locale)).toBe(want.month);
      expect(monthLabel('2025-04', locale)).toBe(want.month);
      expect(periodLabel({ from: '2025-04-01', to: '2025-04-30' }, locale)).toBe(want.month);
      expect(periodLabel({ from: '2024-04-01', to: '2025-03-31' }, locale)).toBe(want.fy);
      expect(periodLabel({ from: '2025-04-01', to: '2025-06-30' }, locale)).toBe(want.range);
      expect(periodLabel({ from: '2025-01-01', to: '2025-12-31' }, locale)).toBe(formatYear(2025, locale));
      expect(periodLabel({ from: '2025-04-01', to: '2025-04-01' }, locale)).toBe(want.day);
    });

    it(`${locale}: campaign amounts are rounded, with the language's own words`, () => {
      expect(approximateYen(6_576_000, locale)).toBe(want.approx);
      expect(approximateYen(4_999, locale)).toBe(want.under);
      // An exact ten-thousand needs no "approx."
      expect(approximateYen(6_580_000, locale)).toBe(want.approx.replace(/^(約|だいたい|approx\. |khoảng |约|humigit-kumulang |aprox\. |लगभग )/, ''));
    });
  }

  it('keeps the day right at both ends of the year and shows anything else as given', () => {
    expect(formatDate('2025-12-31', 'en')).toBe('31 Dec 2025');
    expect(formatDate('2025-01-01', 'ja')).toBe('2025年1月1日');
    expect(formatDate('2025-02-30', 'en')).toBe('2025-02-30');
    expect(formatMonth('2025-13', 'en')).toBe('2025-13');
  });

  it('shows an instant in Japan time', () => {
    // 15:30 UTC on 31 March is 00:30 on 1 April in Tokyo.
    expect(formatDateTime('2025-03-31T15:30:00.000Z', 'ja')).toBe('2025年4月1日 00:30');
    expect(formatDateTime('2025-03-31T15:30:00.000Z', 'en')).toBe('1 Apr 2025, 00:30');
  });
});
