// Issue 14, item 4: an automated accessibility scan (axe-core) of every screen in both
// languages. Goal and gate: no serious or critical violation of WCAG 2.1 A/AA.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { tourApp, tourWizard, type Language } from './screens';

const LANGUAGES: Language[] = ['en', 'zh-CN'];

async function scan(page: Page, screen: string, found: string[]): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ');
    found.push(`${screen}: ${v.impact} ${v.id} (${v.nodes.length}) ${targets}`);
  }
}

for (const language of LANGUAGES) {
  test.describe(`accessibility (${language})`, () => {
    test.describe('first run', () => {
      test.use({ setUpTerminal: false });
      test(`wizard screens have no serious or critical violations (${language})`, async ({ cashier }) => {
        const found: string[] = [];
        await tourWizard(cashier, language, (screen) => scan(cashier.page, screen, found));
        expect(found).toEqual([]);
      });
    });

    test(`checkout, payment and manager screens have no serious or critical violations (${language})`, async ({ cashier }) => {
      test.setTimeout(180_000);
      const found: string[] = [];
      await tourApp(cashier, language, (screen) => scan(cashier.page, screen, found));
      expect(found).toEqual([]);
    });
  });
}
