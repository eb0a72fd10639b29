// Every word the renderer shows comes from resources/i18n/<lang>/ui.json: this walks the TSX
// syntax trees and fails on literal text in JSX and on literal user-facing attributes.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../src-renderer');
const VISIBLE_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label']);
/** Text that is a symbol, not a word: keypad digits and signs, arrows, bullets. */
const WORD = /[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u3040-\u30ff\u4e00-\u9fff]/;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsxFiles(full);
    return full.endsWith('.tsx') ? [full] : [];
  });
}

function literalTexts(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && WORD.test(node.text)) found.push(node.text.trim());
    if (
      ts.isJsxAttribute(node) &&
      VISIBLE_ATTRIBUTES.has(node.name.getText(source)) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer)
    ) {
      if (WORD.test(node.initializer.text)) found.push(`${node.name.getText(source)}="${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map((text) => `${path.relative(ROOT, file)}: ${text}`);
}

describe('no user-visible text outside the translation files', () => {
  const files = tsxFiles(ROOT);

  it('finds the screens', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('has no literal words in JSX text or visible attributes', () => {
    expect(files.flatMap((file) => literalTexts(file))).toEqual([]);
  });

  it('the check itself catches literals and lets translated text through', () => {
    const probe = path.join(ROOT, 'Probe.tsx');
    expect(literalTexts(probe, '<b title="Hello">Charge {t(\'sale.charge\')} ×</b>')).toEqual([
      'Probe.tsx: title="Hello"',
      'Probe.tsx: Charge',
    ]);
    expect(literalTexts(probe, "<b title={t('x')}>{t('y')} 7 ⌫</b>")).toEqual([]);
  });
});
