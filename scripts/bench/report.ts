// Renders a bench run: a console table and docs/benchmarks.md.
import type { Figure } from './figures';
import type { Machine } from './machine';

export interface Run {
  mode: 'quick' | 'full';
  startedAt: string;
  durationS: number;
  machine: Machine;
  loadAtEnd: string;
  commands: string[];
  figures: Figure[];
  /** Hand-written analysis (scripts/bench/analysis.md), included verbatim. */
  analysis: string;
}

const MARK: Record<Figure['verdict'], string> = { pass: 'PASS', miss: 'MISS', skipped: 'SKIP', error: 'ERROR' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function renderTable(figures: Figure[]): string {
  const rows = [['#', 'figure', 'measured', 'same-run baseline', 'goal', 'result']];
  for (const f of figures) rows.push([f.id, f.title, f.value, f.baseline, f.goal, MARK[f.verdict]]);
  const widths = rows[0]!.map((_, col) => Math.min(col === 1 ? 48 : 60, Math.max(...rows.map((row) => row[col]!.length))));
  const line = (row: string[]) =>
    row.map((cell, col) => pad(cell.length > widths[col]! ? `${cell.slice(0, widths[col]! - 1)}…` : cell, widths[col]!)).join(' | ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.slice(1).map(line)].join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function tableRow(f: Figure): string {
  return `| ${f.id} | ${cell(f.title)} | ${cell(f.value)} | ${cell(f.baseline)} | ${cell(f.goal)} | **${MARK[f.verdict]}** |`;
}

function notesBlock(f: Figure): string[] {
  return [`- **${f.id}. ${f.title}**`, ...f.notes.map((note) => `  - ${note}`)];
}

const NOTES_HEADING = '### Notes per figure';

/**
 * docs/benchmarks.md with the figures of a partial run (`command`, with `--only`) put in place of their earlier
 * row and notes (or added at the end of the table and the notes), each noting when it was measured;
 * every other figure stays as the last run left it. Undefined when `markdown` is not a bench report.
 */
export function mergeFigures(markdown: string, run: Run, command: string): string | undefined {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| # | figure |'));
  if (header < 0 || !lines.includes(NOTES_HEADING)) return undefined;
  const when = `measured alone (\`${command}\`), ${run.mode} mode, ${run.startedAt}, load ${run.machine.loadAtStart} at start, ${run.loadAtEnd} at end`;
  for (const figure of run.figures) {
    const f = { ...figure, notes: [...figure.notes, when] };
    const firstRow = header + 2;
    let endRows = firstRow;
    while (lines[endRows]?.startsWith('|')) endRows++;
    const row = lines.slice(firstRow, endRows).findIndex((line) => line.startsWith(`| ${f.id} |`));
    if (row >= 0) lines[firstRow + row] = tableRow(f);
    else lines.splice(endRows, 0, tableRow(f));

    const firstNote = lines.indexOf(NOTES_HEADING) + 2;
    let endNotes = firstNote;
    while (lines[endNotes]?.startsWith('- **') || lines[endNotes]?.startsWith('  - ')) endNotes++;
    const start = lines.slice(firstNote, endNotes).findIndex((line) => line.startsWith(`- **${f.id}. `));
    if (start < 0) {
      lines.splice(endNotes, 0, ...notesBlock(f));
      continue;
    }
    let end = firstNote + start + 1;
    while (lines[end]?.startsWith('  - ')) end++;
    lines.splice(firstNote + start, end - firstNote - start, ...notesBlock(f));
  }
  return lines.join('\n');
}

export function renderMarkdown(run: Run): string {
  const { machine } = run;
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push('Written by `npm run bench` (scripts/bench/). Do not edit by hand: rerun the bench. Each figure is');
  out.push('measured next to a baseline taken in the same process run, because these machines are noisy and');
  out.push('ratios survive noise better than absolute times. CI runs `npm run bench -- --quick` and fails only');
  out.push('when a figure cannot be measured (an error), never on a timing.');
  out.push('');
  out.push(`## Last run: ${run.mode} mode, ${run.startedAt}, ${run.durationS.toFixed(0)} s`);
  out.push('');
  out.push('| machine | |');
  out.push('|---|---|');
  out.push(`| CPU | ${cell(machine.cpu)} |`);
  out.push(`| cores | ${machine.cores} |`);
  out.push(`| memory | ${machine.memory} |`);
  out.push(`| OS | ${cell(machine.os)} |`);
  out.push(`| Node | ${machine.node} |`);
  out.push(`| SQLite | ${machine.sqlite}; CLI ${machine.sqliteCli} |`);
  out.push(`| load average (1/5/15 min) | start ${machine.loadAtStart}, end ${run.loadAtEnd} |`);
  out.push('');
  out.push('| # | figure | measured | same-run baseline | goal | result |');
  out.push('|---|---|---|---|---|---|');
  for (const f of run.figures) out.push(tableRow(f));
  out.push('');
  out.push('### Notes per figure');
  out.push('');
  for (const f of run.figures) out.push(...notesBlock(f));
  out.push('');
  out.push('### Commands');
  out.push('');
  out.push('```sh');
  out.push('npm run bench            # full mode: >= 1,000 taps, 100,000-attempt day, 1,000,000-row ledger');
  out.push('npm run bench -- --quick # CI: about 2 minutes, smaller sizes (labelled in each figure)');
  out.push('npm run bench -- --only=1,4   # some figures, merged into this file; --no-write leaves it alone');
  out.push('npm run bench -- --render     # rebuild this file from the last run after editing scripts/bench/analysis.md');
  out.push('```');
  out.push('');
  out.push('Commands this run executed besides the in-process measurements:');
  out.push('');
  out.push('```sh');
  for (const command of run.commands) out.push(command);
  out.push('```');
  out.push('');
  out.push(run.analysis.trim());
  out.push('');
  return out.join('\n');
}
