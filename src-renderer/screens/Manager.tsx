// The manager area: a PIN first (tries left, lockout until when), then the tabs. Main checks
// the manager session on every request; this screen only mirrors it.
import { useCallback, useEffect, useState } from 'react';
import type { ManagerSession, PinStatus } from '../../src-main/ipc/contract';
import { api } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { PinPad } from '../components/PinPad';
import { useApp } from '../context';
import type { UiKey } from '../i18n';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/time';
import { ExportTab } from './manager/ExportTab';
import { LogTab } from './manager/LogTab';
import { RefundTab } from './manager/RefundTab';
import { ReportTab } from './manager/ReportTab';
import { SettingsTab } from './manager/SettingsTab';
import { TrustTab } from './manager/TrustTab';
import { useRequestError } from '../hooks/use-request-error';

const TABS = ['log', 'refunds', 'reports', 'export', 'settings', 'trust'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, UiKey> = {
  log: 'manager.tab.log',
  refunds: 'manager.tab.refunds',
  reports: 'manager.tab.reports',
  export: 'manager.tab.export',
  settings: 'manager.tab.settings',
  trust: 'manager.tab.trust',
};

function Unlock({ onUnlocked }: { onUnlocked: (session: ManagerSession) => void }) {
  const { app } = useApp();
  const { t, language } = useI18n();
  const [status, setStatus] = useState<PinStatus | null>(null);
  const [failure, setFailure] = useState<'wrong_pin' | 'locked' | null>(null);
  const [busy, setBusy] = useState(false);
  const { error, setError, fail } = useRequestError();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    api().pinStatus().then(setStatus).catch(fail);
  }, [fail]);

  const lockedUntil = status?.locked ? status.lockedUntil : undefined;
  useEffect(() => {
    if (lockedUntil === undefined) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [lockedUntil]);
  // The lock ends on its own: ask main again once its time has passed.
  useEffect(() => {
    if (lockedUntil !== undefined && now >= lockedUntil) {
      api().pinStatus().then(setStatus).catch(fail);
    }
  }, [now, lockedUntil, fail]);

  const submit = (pin: string) => {
    setBusy(true);
    setError(null);
    api()
      .unlockManager({ pin })
      .then((result) => {
        if (result.ok) onUnlocked(result.session);
        else {
          setFailure(result.reason);
          setStatus(result.pin);
        }
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const locked = status?.locked ?? false;
  return (
    <div className="page" data-testid="pin-dialog">
      <div className="center-col panel">
        <h1>{t('manager.unlockTitle')}</h1>
        <p className="field-help">{t('manager.unlockHelp')}</p>
        {locked && lockedUntil !== undefined && (
          <div className="banner bad" role="alert" data-testid="pin-error" data-reason="locked">
            <span data-testid="pin-locked" data-locked-until={lockedUntil}>
              {t('pin.lockedUntil', { time: formatDateTime(lockedUntil, language, app.country?.timeZone) })}
            </span>
          </div>
        )}
        {!locked && failure === 'wrong_pin' && status && (
          <div className="banner bad" role="alert" data-testid="pin-error" data-reason="wrong_pin">
            <span data-testid="pin-remaining" data-remaining={status.remainingAttempts}>
              {t('pin.wrong', { left: status.remainingAttempts })}
            </span>
          </div>
        )}
        <PinPad onSubmit={submit} disabled={busy || locked} submitLabel={t('pin.unlock')} />
        <ErrorNote error={error} testId="pin-request-error" />
      </div>
    </div>
  );
}

export function Manager({ onExit }: { onExit: () => void }) {
  const { t, language } = useI18n();
  const [session, setSession] = useState<ManagerSession | null>(null);
  const [tab, setTab] = useState<Tab>('log');
  /** The sale the log's Refund button opened the Refunds tab with. */
  const [refundOf, setRefundOf] = useState<string | undefined>(undefined);
  const { error, fail } = useRequestError();

  useEffect(() => {
    const cashier = api();
    cashier.managerSession().then(setSession).catch(fail);
    return cashier.onManagerSession(setSession);
  }, [fail]);

  const lock = useCallback(() => {
    api()
      .lockManager()
      .catch(() => undefined)
      .finally(onExit);
  }, [onExit]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F9') {
        event.preventDefault();
        onExit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onExit]);

  if (!session) return <ErrorNote error={error} testId="manager-error" />;
  if (!session.active) return <Unlock onUnlocked={setSession} />;

  return (
    <div className="manager" data-testid="manager">
      <div className="tabs">
        <div className="tablist" role="tablist" aria-label={t('manager.title')}>
          {TABS.map((name) => (
            <button
              type="button"
              role="tab"
              key={name}
              id={`tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`panel-${name}`}
              data-testid={`manager-tab-${name}`}
              tabIndex={tab === name ? 0 : -1}
              onClick={() => {
                setRefundOf(undefined);
                setTab(name);
              }}
              onKeyDown={(event) => {
                // Arrow keys move between tabs (WAI-ARIA tabs pattern).
                const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                if (step === 0) return;
                event.preventDefault();
                const next = TABS[(TABS.indexOf(name) + step + TABS.length) % TABS.length] ?? name;
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }}
            >
              {t(TAB_LABELS[name])}
            </button>
          ))}
        </div>
        <span className="grow" />
        <button type="button" data-testid="manager-close" onClick={onExit}>
          {t('manager.close')}
        </button>
        <button type="button" data-testid="manager-lock" onClick={lock}>
          {t('manager.lock')}
        </button>
      </div>
      <div className="page" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} data-testid={`manager-panel-${tab}`}>
        {tab === 'log' && (
          <LogTab
            onRefund={(transactionId) => {
              setRefundOf(transactionId);
              setTab('refunds');
            }}
          />
        )}
        {tab === 'refunds' && <RefundTab key={refundOf ?? ''} initialTransactionId={refundOf} />}
        {tab === 'reports' && <ReportTab />}
        {tab === 'export' && <ExportTab />}
        {/* Keyed by language: after a switch in the top bar the form reloads the saved settings, language included. */}
        {tab === 'settings' && <SettingsTab key={language} />}
        {tab === 'trust' && <TrustTab />}
      </div>
    </div>
  );
}
