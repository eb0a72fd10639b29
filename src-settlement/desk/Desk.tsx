// The settlement desk's read-only page: findings with their evidence, each terminal's last day
// and chain head, and statements. It only reads (GET with the operator token); enrolment and
// revocation lists stay with the command line and the authority's tools.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import {
  DeskError,
  deskApi,
  type AccountStatement,
  type DeskApi,
  type Finding,
  type MerchantStatement,
  type Terminal,
  type Totals,
} from './desk-api';

const TOKEN_KEY = 'settlement-desk-token';
type Tab = 'findings' | 'terminals' | 'statements';

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

function money(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

const short = (hex: string | null) => (hex ? `${hex.slice(0, 12)}…` : '—');
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof DeskError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : JSON.stringify(error);
  return (
    <p className="problem" data-testid="desk-problem" role="alert">
      {text}
    </p>
  );
}

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Findings({ api }: { api: DeskApi }) {
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [selected, setSelected] = useState<Finding | null>(null);
  const [evidence, setEvidence] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.findings().then(setFindings, setError);
  }, [api]);

  const open = (finding: Finding) => {
    setSelected(finding);
    setEvidence(null);
    api.evidence(finding.id).then(setEvidence, setError);
  };

  if (!findings) return <Problem error={error} />;
  const kinds = [...new Set(findings.map((f) => f.kind))].sort();
  return (
    <section data-testid="desk-findings" data-count={findings.length}>
      <p className="lead">
        {findings.length === 0
          ? 'No findings.'
          : `${findings.length} findings: ${kinds.map((k) => `${k} ${findings.filter((f) => f.kind === k).length}`).join(', ')}.`}
      </p>
      <div className="split">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Summary</th>
              <th>License</th>
              <th>Rows</th>
              <th>Found</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr
                key={f.id}
                data-testid="desk-finding"
                data-kind={f.kind}
                data-id={f.id}
                className={selected?.id === f.id ? 'selected' : ''}
              >
                <td>{f.id}</td>
                <td>
                  <span className={`kind kind-${f.kind}`}>{f.kind}</span>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => open(f)} data-testid="desk-finding-open">
                    {f.summary}
                  </button>
                </td>
                <td>{f.licenseSerial ? `${f.authorityId ?? ''} ${f.licenseSerial}` : '—'}</td>
                <td>{f.rows.length}</td>
                <td className="nowrap">{when(f.foundAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected && (
          <aside className="evidence" data-testid="desk-evidence" data-id={selected.id}>
            <h3>
              Evidence of finding #{selected.id} ({selected.kind})
            </h3>
            <p className="hint">Checkable with docs/protocol.md, docs/ledger.md and the public keys alone.</p>
            {evidence ? (
              <>
                <button
                  type="button"
                  data-testid="desk-evidence-download"
                  onClick={() =>
                    download(
                      `finding-${selected.id}-evidence.json`,
                      new Blob([JSON.stringify(evidence, null, 2)], { type: 'application/json' }),
                    )
                  }
                >
                  Download evidence JSON
                </button>
                <pre data-testid="desk-evidence-json">{JSON.stringify(evidence, null, 2)}</pre>
              </>
            ) : (
              <p>Loading…</p>
            )}
          </aside>
        )}
      </div>
      <Problem error={error} />
    </section>
  );
}

function Terminals({ api }: { api: DeskApi }) {
  const [terminals, setTerminals] = useState<Terminal[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.terminals().then(setTerminals, setError);
  }, [api]);
  if (!terminals) return <Problem error={error} />;
  return (
    <section data-testid="desk-terminals" data-count={terminals.length}>
      <table>
        <thead>
          <tr>
            <th>Merchant</th>
            <th>Terminal</th>
            <th>Key id</th>
            <th>Last business day</th>
            <th>Z</th>
            <th>Last row</th>
            <th>Chain head</th>
            <th>Days held</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {terminals.map((t) => (
            <tr
              key={t.keyId}
              data-testid="desk-terminal"
              data-terminal={t.terminalId}
              data-last-day={t.lastBusinessDate ?? ''}
              data-chain-head={t.chainHead ?? ''}
            >
              <td>{t.merchantId}</td>
              <td>{t.terminalId}</td>
              <td className="mono" title={t.keyId}>
                {short(t.keyId)}
              </td>
              <td>{t.lastBusinessDate ?? 'nothing received'}</td>
              <td>{t.lastZNumber ?? '—'}</td>
              <td>{t.lastSeq ?? '—'}</td>
              <td className="mono" title={t.chainHead ?? ''}>
                {short(t.chainHead)}
              </td>
              <td>{t.days}</td>
              <td>{t.retiredAt ? `retired ${when(t.retiredAt)}` : 'enrolled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem error={error} />
    </section>
  );
}

function TotalsRows({ rows, first }: { rows: Totals[]; first: (t: Totals, i: number) => ReactNode }) {
  return (
    <>
      {rows.map((t, i) => (
        <tr key={i} data-testid="desk-statement-row" data-currency={t.currency} data-net={t.netTotal}>
          {first(t, i)}
          <td>{t.currency}</td>
          <td>{t.approvedCount}</td>
          <td className="num">{money(t.approvedTotal, t.currency)}</td>
          <td>{t.voidCount}</td>
          <td className="num">{money(t.voidTotal, t.currency)}</td>
          <td className="num">{money(t.refundTotal, t.currency)}</td>
          <td className="num strong">{money(t.netTotal, t.currency)}</td>
        </tr>
      ))}
    </>
  );
}

function Statements({ api }: { api: DeskApi }) {
  const [merchant, setMerchant] = useState('');
  const [date, setDate] = useState('');
  const [statement, setStatement] = useState<MerchantStatement | null>(null);
  const [account, setAccount] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [accountStatement, setAccountStatement] = useState<AccountStatement | null>(null);
  const [error, setError] = useState<unknown>(null);

  const showMerchant = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    api.merchantStatement(merchant.trim(), date).then(setStatement, setError);
  };
  const showAccount = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    api.accountStatement(account.trim(), from, to).then(setAccountStatement, setError);
  };
  const head = (
    <>
      <th>Currency</th>
      <th>Approved</th>
      <th>Amount</th>
      <th>Voided</th>
      <th>Amount</th>
      <th>Refunded</th>
      <th>Net</th>
    </>
  );

  return (
    <section data-testid="desk-statements">
      <form className="query" onSubmit={showMerchant}>
        <h3>Merchant, business day</h3>
        <label>
          Merchant <input data-testid="desk-statement-merchant" value={merchant} onChange={(e) => setMerchant(e.target.value)} required />
        </label>
        <label>
          Business day{' '}
          <input data-testid="desk-statement-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <button type="submit" data-testid="desk-statement-show">
          Show
        </button>
        {statement && (
          <button
            type="button"
            data-testid="desk-statement-csv"
            onClick={() =>
              void api
                .merchantStatementCsv(statement.merchantId, statement.businessDate)
                .then((blob) => download(`statement-${statement.merchantId}-${statement.businessDate}.csv`, blob), setError)
            }
          >
            Download CSV
          </button>
        )}
      </form>
      {statement && (
        <table data-testid="desk-statement" data-merchant={statement.merchantId} data-date={statement.businessDate}>
          <thead>
            <tr>
              <th>Terminal</th>
              <th>Z</th>
              {head}
            </tr>
          </thead>
          <tbody>
            <TotalsRows
              rows={statement.terminals}
              first={(_t, i) => (
                <>
                  <td>{statement.terminals[i]?.terminalId}</td>
                  <td>{statement.terminals[i]?.zNumber ?? 'open'}</td>
                </>
              )}
            />
            <TotalsRows
              rows={statement.totals}
              first={() => (
                <td colSpan={2} className="strong">
                  Total
                </td>
              )}
            />
          </tbody>
        </table>
      )}
      {statement && statement.terminals.length === 0 && <p>No day of this merchant is held for {statement.businessDate}.</p>}

      <form className="query" onSubmit={showAccount}>
        <h3>Account, period</h3>
        <label>
          Account <input data-testid="desk-account" value={account} onChange={(e) => setAccount(e.target.value)} required />
        </label>
        <label>
          From <input data-testid="desk-account-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To (exclusive) <input data-testid="desk-account-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" data-testid="desk-account-show">
          Show
        </button>
        {accountStatement && (
          <button
            type="button"
            data-testid="desk-account-csv"
            onClick={() =>
              void api
                .accountStatementCsv(accountStatement.accountId, from, to)
                .then((blob) => download(`account-${accountStatement.accountId}-${from}-${to}.csv`, blob), setError)
            }
          >
            Download CSV
          </button>
        )}
      </form>
      {accountStatement && (
        <table data-testid="desk-account-statement" data-lines={accountStatement.lines.length}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Business day</th>
              <th>Merchant</th>
              <th>Terminal</th>
              <th>Transaction</th>
              <th>Amount</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accountStatement.lines.map((line) => (
              <tr key={line.transactionId} data-kind={line.kind}>
                <td className="nowrap">
                  {typeof line.recordedAt === 'number' ? when(new Date(line.recordedAt).toISOString()) : when(line.recordedAt)}
                </td>
                <td>{line.businessDate}</td>
                <td>{line.merchantId}</td>
                <td>{line.terminalId}</td>
                <td className="mono">{line.transactionId.slice(0, 12)}…</td>
                <td className="num">{money(line.kind === 'refund' ? -line.amount : line.amount, line.currency)}</td>
                <td>
                  {line.kind === 'refund' ? `refund of ${(line.originalTransactionId ?? '').slice(0, 12)}…` : line.voided ? 'voided' : ''}
                </td>
              </tr>
            ))}
            {accountStatement.totals.map((t) => (
              <tr key={t.currency} className="strong" data-testid="desk-account-total">
                <td colSpan={5}>
                  Net ({t.approvedCount} approvals {money(t.approvedTotal, t.currency)}, {t.refundCount} refunds{' '}
                  {money(t.refundTotal, t.currency)})
                </td>
                <td className="num">{money(t.netTotal, t.currency)}</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problem error={error} />
    </section>
  );
}

function TokenGate({ onToken, error }: { onToken: (token: string) => void; error: unknown }) {
  const [text, setText] = useState('');
  return (
    <form
      className="gate"
      data-testid="desk-gate"
      onSubmit={(e) => {
        e.preventDefault();
        onToken(text.trim());
      }}
    >
      <h2>Operator token</h2>
      <p className="hint">The token the service was started with (serve --token-file). It is kept in this tab only.</p>
      <input data-testid="desk-token" type="password" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} required />
      <button type="submit" data-testid="desk-token-submit">
        Open the desk
      </button>
      <Problem error={error} />
    </form>
  );
}

export function Desk() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [api, setApi] = useState<DeskApi | null>(null);
  const [tab, setTab] = useState<Tab>('findings');
  const [gateError, setGateError] = useState<unknown>(null);

  const signIn = useCallback((candidate: string) => {
    const next = deskApi(candidate);
    // One read checks the token before the desk opens.
    next.terminals().then(
      () => {
        sessionStorage.setItem(TOKEN_KEY, candidate);
        setToken(candidate);
        setApi(next);
        setGateError(null);
      },
      (error: unknown) => {
        sessionStorage.removeItem(TOKEN_KEY);
        setToken(null);
        setGateError(error);
      },
    );
  }, []);

  useEffect(() => {
    if (token && !api) signIn(token);
  }, [token, api, signIn]);

  return (
    <div className="desk" data-testid="desk" data-tab={tab}>
      <header>
        <h1>Settlement desk</h1>
        {api && (
          <nav>
            {(['findings', 'terminals', 'statements'] as const).map((name) => (
              <button
                key={name}
                type="button"
                className={tab === name ? 'active' : ''}
                data-testid={`desk-tab-${name}`}
                onClick={() => setTab(name)}
              >
                {name === 'findings' ? 'Findings' : name === 'terminals' ? 'Terminals' : 'Statements'}
              </button>
            ))}
            <button
              type="button"
              data-testid="desk-sign-out"
              onClick={() => {
                sessionStorage.removeItem(TOKEN_KEY);
                setToken(null);
                setApi(null);
              }}
            >
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main>
        {!api ? (
          token ? (
            <p>Opening…</p>
          ) : (
            <TokenGate onToken={signIn} error={gateError} />
          )
        ) : tab === 'findings' ? (
          <Findings api={api} />
        ) : tab === 'terminals' ? (
          <Terminals api={api} />
        ) : (
          <Statements api={api} />
        )}
      </main>
    </div>
  );
}
