import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../src-main/domain/reasons';

describe.each(['en', 'zh-CN'])('resources/i18n/%s/reasons.json', (lang) => {
  const table = JSON.parse(readFileSync(new URL(`../../../resources/i18n/${lang}/reasons.json`, import.meta.url), 'utf8')) as Record<
    string,
    { message?: unknown; action?: unknown }
  >;
  it('has a message and an action for every reason code and nothing else', () => {
    expect(Object.keys(table).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      expect(table[code]?.message, code).toEqual(expect.stringMatching(/./));
      expect(table[code]?.action, code).toEqual(expect.stringMatching(/./));
    }
  });
});

describe('docs/protocol.md', () => {
  it('lists every reason code with its English cashier message and action', () => {
    const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
    const en = JSON.parse(readFileSync(new URL('../../../resources/i18n/en/reasons.json', import.meta.url), 'utf8')) as Record<
      string,
      { message: string; action: string }
    >;
    for (const code of REASON_CODES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      // | code | when | cashier sees | cashier should |
      expect(cells.slice(3, 5), code).toEqual([en[code]?.message, en[code]?.action]);
    }
  });
});
