import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { BusinessDayChange, CountryProfile, DemoStatus, Settings, SettingsUpdate } from '../../../src-main/ipc/contract';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNote } from '../../components/ErrorNote';
import { useApp } from '../../context';
import { toDecimalString } from '../../lib/money';
import { formatDateTime } from '../../lib/time';
import type { Language, UiKey } from '../../i18n';
import { LANGUAGE_LIST, useI18n } from '../../i18n';
import { WAIT_TIMEOUT_MAX_S, WAIT_TIMEOUT_MIN_S } from '../../../src-main/ipc/constants';
import { checkMerchantId, checkMerchantName, checkPinPair, checkSettlementAddress, checkTerminalId } from '../../lib/validate';
import { CountrySelect } from '../../components/CountrySelect';
import { useRequestError } from '../../hooks/use-request-error';

type ReaderChoice = Settings['reader'];

interface Draft {
  merchantId: string;
  merchantName: string;
  terminalId: string;
  country: string;
  /** 'auto', 'stub', 'pcsc' (any PC/SC reader) or 'pcsc:<reader name>'. */
  reader: string;
  waitSeconds: string;
  printerMode: 'dialog' | 'silent';
  printerName: string;
  paperWidth: 58 | 80;
  language: Language;
  kiosk: boolean;
  /** Store exceptions to the country profile; '' = the profile's own value. */
  overrideCurrency: string;
  overrideTimeZone: string;
  overrideCutoff: string;
  /** Settlement service address; '' = none. */
  settlementAddress: string;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function overridesOf(draft: Draft): Settings['overrides'] {
  const currency = draft.overrideCurrency.trim().toUpperCase();
  const timeZone = draft.overrideTimeZone.trim();
  const cutoff = draft.overrideCutoff.trim();
  return {
    ...(currency ? { currency } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(cutoff ? { cutoffHour: Number(cutoff) } : {}),
  };
}

function readerValue(reader: ReaderChoice): string {
  return reader.kind === 'pcsc' && reader.name ? `pcsc:${reader.name}` : reader.kind;
}

function readerChoice(value: string): ReaderChoice {
  if (value.startsWith('pcsc:')) return { kind: 'pcsc', name: value.slice(5) };
  return { kind: value === 'stub' ? 'stub' : value === 'pcsc' ? 'pcsc' : 'auto' };
}

function draftOf(s: Settings): Draft {
  return {
    merchantId: s.merchantId,
    merchantName: s.merchantName,
    terminalId: s.terminalId,
    country: s.country,
    reader: readerValue(s.reader),
    waitSeconds: String(Math.round(s.waitTimeoutMs / 1000)),
    printerMode: s.printer.name ? 'silent' : 'dialog',
    printerName: s.printer.name ?? '',
    paperWidth: s.printer.paperWidth,
    language: s.language,
    kiosk: s.kiosk,
    overrideCurrency: s.overrides.currency ?? '',
    overrideTimeZone: s.overrides.timeZone ?? '',
    overrideCutoff: s.overrides.cutoffHour === undefined ? '' : String(s.overrides.cutoffHour),
    settlementAddress: s.settlementAddress,
  };
}

/** Only what changed goes to main, so a partial update never rewrites a field by accident. */
function changes(before: Settings, draft: Draft): SettingsUpdate {
  const update: SettingsUpdate = {};
  if (draft.merchantId.trim() !== before.merchantId) update.merchantId = draft.merchantId.trim();
  if (draft.merchantName.trim() !== before.merchantName) update.merchantName = draft.merchantName.trim();
  if (draft.terminalId.trim() !== before.terminalId) update.terminalId = draft.terminalId.trim();
  if (draft.country !== before.country) update.country = draft.country;
  if (draft.reader !== readerValue(before.reader)) update.reader = readerChoice(draft.reader);
  const waitMs = Number(draft.waitSeconds) * 1000;
  if (waitMs !== before.waitTimeoutMs) update.waitTimeoutMs = waitMs;
  const printerName = draft.printerMode === 'silent' ? draft.printerName.trim() : '';
  if (printerName !== (before.printer.name ?? '') || draft.paperWidth !== before.printer.paperWidth) {
    update.printer = { paperWidth: draft.paperWidth, ...(printerName ? { name: printerName } : {}) };
  }
  if (draft.language !== before.language) update.language = draft.language;
  if (draft.kiosk !== before.kiosk) update.kiosk = draft.kiosk;
  if (draft.settlementAddress.trim() !== before.settlementAddress) update.settlementAddress = draft.settlementAddress.trim();
  const overrides = overridesOf(draft);
  if (JSON.stringify(overrides) !== JSON.stringify(overridesOf(draftOf(before)))) update.overrides = overrides;
  return update;
}

/** The field each settings check is about (aria-invalid, aria-describedby). */
const SETTINGS_PROBLEM_FIELD: Partial<Record<UiKey, string>> = {
  'validate.merchantId': 'set-merchant-id',
  'validate.merchantName': 'set-merchant-name',
  'validate.terminalId': 'set-terminal-id',
  'validate.timeout': 'set-timeout',
  'validate.printerDevice': 'set-printer-name',
  'validate.currency': 'set-override-currency',
  'validate.timeZone': 'set-override-zone',
  'validate.cutoff': 'set-override-cutoff',
};

function ChangePin() {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<UiKey | null>(null);
  const { error, setError, fail } = useRequestError();
  const [done, setDone] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    const check = checkPinPair(next, again) ?? (current === next ? 'validate.pinSame' : null);
    setProblem(check);
    if (check) return;
    api()
      .changePin({ currentPin: current, newPin: next })
      .then(() => {
        setDone(true);
        setCurrent('');
        setNext('');
        setAgain('');
      })
      .catch(fail);
  };

  // A problem (or main's refusal of the current PIN, by its reason code) is tied to the field it is about.
  const currentRefused = error?.refusal?.reason === 'pin_wrong' || error?.refusal?.reason === 'pin_locked';
  const problemField = problem === 'validate.pinMismatch' ? 'pin-again' : problem ? 'pin-new' : currentRefused ? 'pin-current' : undefined;
  const pinInput = (id: string, value: string, set: (v: string) => void) => (
    <input
      id={id}
      data-testid={id}
      aria-invalid={problemField === id || undefined}
      aria-describedby={problemField === id ? (problem ? 'pin-change-problem' : 'pin-change-error') : undefined}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      value={value}
      onChange={(e) => set(e.target.value.replace(/\D/g, ''))}
    />
  );

  return (
    <form className="panel form" onSubmit={submit} data-testid="change-pin">
      <h2 className="full">{t('settings.pinTitle')}</h2>
      <label htmlFor="pin-current">{t('settings.pinCurrent')}</label>
      {pinInput('pin-current', current, setCurrent)}
      <label htmlFor="pin-new">{t('settings.pinNew')}</label>
      {pinInput('pin-new', next, setNext)}
      <label htmlFor="pin-again">{t('settings.pinAgain')}</label>
      {pinInput('pin-again', again, setAgain)}
      <div className="full row">
        <button type="submit" className="primary" data-testid="pin-change-submit">
          {t('settings.pinChange')}
        </button>
        {problem && (
          <span className="error-text" role="alert" id="pin-change-problem" data-testid="pin-change-problem">
            {t(problem)}
          </span>
        )}
        {done && (
          <span className="ok-text" data-testid="pin-change-done">
            {t('settings.pinChanged')}
          </span>
        )}
      </div>
      <div className="full" id="pin-change-error">
        <ErrorNote error={error} testId="pin-change-error" />
      </div>
    </form>
  );
}

/** Demo mode on this terminal, and switching it off for good (after a confirmation). */
function DemoMode({ onChanged }: { onChanged: () => void }) {
  const { t, language } = useI18n();
  const { app } = useApp();
  const [status, setStatus] = useState<DemoStatus | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { error, setError, fail } = useRequestError();

  useEffect(() => {
    api().demoStatus().then(setStatus).catch(fail);
  }, [fail]);

  const switchOff = () => {
    setBusy(true);
    setError(null);
    api()
      .leaveDemoMode()
      .then(() => api().demoStatus())
      .then((next) => {
        setStatus(next);
        setDone(true);
        onChanged();
      })
      .catch(fail)
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };

  if (!status || (!status.active && !done)) return <ErrorNote error={error} testId="demo-mode-error" />;
  return (
    <section className="panel" data-testid="demo-mode" data-active={status.active}>
      <h2>{t('settings.demoTitle')}</h2>
      {status.active ? (
        <>
          <p>{t('settings.demoOn')}</p>
          {status.licensesExpireAt !== undefined && (
            <p className="field-help" data-testid="demo-licenses" data-expires-at={status.licensesExpireAt}>
              {t('settings.demoLicenses', { date: formatDateTime(status.licensesExpireAt, language, app.country?.timeZone) })}
            </p>
          )}
          <button type="button" className="danger" data-testid="demo-off" disabled={busy} onClick={() => setConfirming(true)}>
            {t('settings.demoOffButton')}
          </button>
        </>
      ) : (
        <>
          <p className="ok-text" data-testid="demo-off-done">
            {t('settings.demoOffDone')}
          </p>
          {app.readerKind === 'stub' && <p className="field-help">{t('settings.demoStubStays')}</p>}
        </>
      )}
      <ErrorNote error={error} testId="demo-mode-error" />
      {confirming && (
        <ConfirmDialog
          title={t('settings.demoOffTitle')}
          confirmLabel={t('settings.demoOffConfirm')}
          danger
          busy={busy}
          onConfirm={switchOff}
          onCancel={() => setConfirming(false)}
          testId="demo-off-dialog"
        >
          <ul>
            <li>{t('settings.demoOffReader')}</li>
            <li>
              <strong>{t('settings.demoOffKeys')}</strong>
            </li>
            <li>{t('settings.demoOffRows')}</li>
          </ul>
          {status.realKeys === 0 ? (
            <p className="error-text" data-testid="demo-off-no-key">
              {t('settings.demoOffNoKey')}
            </p>
          ) : (
            <p data-testid="demo-off-real-keys" data-count={status.realKeys}>
              {t('settings.demoOffRealKeys', { n: status.realKeys })}
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

const hour = (h: number): string => `${String(h).padStart(2, '0')}:00`;

/** What saving a country / time-zone / day-start change does to the business day, before it is saved. */
function DayChangeDialog({
  change,
  busy,
  onConfirm,
  onCancel,
}: {
  change: BusinessDayChange;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { current, next } = change;
  const rows = [
    { kind: 'businessDate', label: t('settings.dayChangeRowDate'), now: current.businessDate, after: next.businessDate },
    { kind: 'timeZone', label: t('settings.dayChangeRowTimeZone'), now: current.timeZone, after: next.timeZone },
    { kind: 'cutoffHour', label: t('settings.dayChangeRowCutoff'), now: hour(current.cutoffHour), after: hour(next.cutoffHour) },
    { kind: 'currency', label: t('settings.dayChangeRowCurrency'), now: current.currency, after: next.currency },
  ] as const;
  return (
    <ConfirmDialog
      title={t('settings.dayChangeTitle')}
      confirmLabel={t('settings.dayChangeConfirm')}
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
      testId="day-change-dialog"
    >
      <p>{t('settings.dayChangeIntro')}</p>
      <table className="data">
        <thead>
          <tr>
            <th />
            <th>{t('settings.dayChangeNow')}</th>
            <th>{t('settings.dayChangeAfter')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const changed = change.changes.includes(row.kind);
            return (
              <tr key={row.kind} data-testid="day-change-row" data-kind={row.kind} data-changed={changed}>
                <td>{row.label}</td>
                <td>{row.now}</td>
                <td>{changed ? <strong>{row.after}</strong> : row.after}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {next.businessDate !== current.businessDate ? (
        <p data-testid="day-change-new-day">
          {change.openDayTransactions > 0
            ? t('settings.dayChangeNewDay', { current: current.businessDate, next: next.businessDate })
            : t('settings.dayChangeNextDay', { next: next.businessDate })}
        </p>
      ) : (
        (change.changes.includes('timeZone') || change.changes.includes('cutoffHour')) && (
          <p data-testid="day-change-same-day">{t('settings.dayChangeSameDay', { date: current.businessDate })}</p>
        )
      )}
      {change.openDayTransactions > 0 && (
        <p className="error-text" data-testid="day-change-open-day" data-count={change.openDayTransactions}>
          {t('settings.dayChangeOpenDay', { n: change.openDayTransactions, date: current.businessDate })}
        </p>
      )}
    </ConfirmDialog>
  );
}

export function SettingsTab() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [countries, setCountries] = useState<CountryProfile[]>([]);
  const [readers, setReaders] = useState<string[]>([]);
  const { error, setError, fail } = useRequestError();
  const [problem, setProblem] = useState<UiKey | null>(null);
  const [saved, setSaved] = useState(false);
  const [dayChange, setDayChange] = useState<{ change: BusinessDayChange; update: SettingsUpdate } | null>(null);
  const [saving, setSaving] = useState(false);
  const { app } = useApp();
  const digits = app.country?.minorUnits ?? 2;
  /** The cashier refund allowance in major units of the store's currency, as typed (null: as saved). */
  const [typedRefundLimit, setRefundLimit] = useState<string | null>(null);

  useEffect(() => {
    const cashier = api();
    cashier
      .getSettings()
      .then((s) => {
        setSettings(s);
        setDraft(draftOf(s));
      })
      .catch(fail);
    cashier.listCountries().then(setCountries).catch(fail);
    cashier
      .listReaders()
      .then(setReaders)
      .catch(() => setReaders([]));
  }, [fail]);

  if (!settings || !draft) return <ErrorNote error={error} testId="settings-error" />;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft({ ...draft, [key]: value });
  };

  const problemField = problem ? SETTINGS_PROBLEM_FIELD[problem] : undefined;
  const invalid = (id: string) => (problemField === id ? { 'aria-invalid': true, 'aria-describedby': 'settings-problem' } : {});
  const timeout = Number(draft.waitSeconds);
  const refundLimit = typedRefundLimit ?? toDecimalString(settings.cashierRefundLimit, digits);
  const limitMatch = /^(\d{1,11})(?:[.,](\d+))?$/.exec(refundLimit.trim());
  const limitMinor =
    limitMatch && (limitMatch[2] ?? '').length <= digits
      ? Number(limitMatch[1]) * 10 ** digits + Number((limitMatch[2] ?? '').padEnd(digits, '0') || '0')
      : undefined;
  const validate = (): UiKey | null =>
    checkMerchantId(draft.merchantId) ??
    checkMerchantName(draft.merchantName) ??
    checkTerminalId(draft.terminalId) ??
    (!Number.isInteger(timeout) || timeout < WAIT_TIMEOUT_MIN_S || timeout > WAIT_TIMEOUT_MAX_S ? 'validate.timeout' : null) ??
    (draft.printerMode === 'silent' && !draft.printerName.trim() ? 'validate.printerDevice' : null) ??
    (draft.overrideCurrency.trim() && !/^[A-Za-z]{3}$/.test(draft.overrideCurrency.trim()) ? 'validate.currency' : null) ??
    (draft.overrideTimeZone.trim() && !isTimeZone(draft.overrideTimeZone.trim()) ? 'validate.timeZone' : null) ??
    (draft.overrideCutoff.trim() && !/^(1?\d|2[0-3])$/.test(draft.overrideCutoff.trim()) ? 'validate.cutoff' : null) ??
    checkSettlementAddress(draft.settlementAddress) ??
    (limitMinor === undefined ? 'validate.refundLimit' : null);

  const save = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(null);
    const check = validate();
    setProblem(check);
    if (check) return;
    const update = changes(settings, draft);
    if (limitMinor !== undefined && limitMinor !== settings.cashierRefundLimit) update.cashierRefundLimit = limitMinor;
    if (Object.keys(update).length === 0) {
      setSaved(true);
      return;
    }
    if (update.country === undefined && update.overrides === undefined) {
      commit(update);
      return;
    }
    // The business day follows the country profile from the next sale on: say what changes first.
    setSaving(true);
    api()
      .businessDayPreview({
        ...(update.country !== undefined ? { country: update.country } : {}),
        ...(update.overrides !== undefined ? { overrides: update.overrides } : {}),
      })
      .then((change) => {
        if (change.changes.length > 0) setDayChange({ change, update });
        else commit(update);
      })
      .catch(fail)
      .finally(() => setSaving(false));
  };

  const commit = (update: SettingsUpdate) => {
    setSaving(true);
    api()
      .updateSettings(update)
      .then((s) => {
        setSettings(s);
        setDraft(draftOf(s));
        setSaved(true);
      })
      .catch(fail)
      .finally(() => {
        setSaving(false);
        setDayChange(null);
      });
  };

  return (
    <div className="center-col" data-testid="settings-tab">
      <form className="panel form" onSubmit={save}>
        <h2 className="full">{t('settings.title')}</h2>
        <label htmlFor="set-merchant-id">{t('field.merchantId')}</label>
        <input
          id="set-merchant-id"
          {...invalid('set-merchant-id')}
          data-testid="settings-merchant-id"
          value={draft.merchantId}
          onChange={(e) => set('merchantId', e.target.value)}
        />
        <label htmlFor="set-merchant-name">{t('field.merchantName')}</label>
        <input
          id="set-merchant-name"
          {...invalid('set-merchant-name')}
          data-testid="settings-merchant-name"
          value={draft.merchantName}
          onChange={(e) => set('merchantName', e.target.value)}
        />
        <label htmlFor="set-terminal-id">{t('field.terminalId')}</label>
        <input
          id="set-terminal-id"
          {...invalid('set-terminal-id')}
          data-testid="settings-terminal-id"
          value={draft.terminalId}
          onChange={(e) => set('terminalId', e.target.value)}
        />
        <label htmlFor="set-country">{t('field.country')}</label>
        <CountrySelect
          id="set-country"
          testId="settings-country"
          countries={countries}
          value={draft.country}
          onChange={(v) => set('country', v)}
        />
        <label htmlFor="set-reader">{t('settings.reader')}</label>
        <select id="set-reader" data-testid="settings-reader" value={draft.reader} onChange={(e) => set('reader', e.target.value)}>
          <option value="auto">{t('settings.readerAuto')}</option>
          {(settings.demo || draft.reader === 'stub') && <option value="stub">{t('settings.readerStub')}</option>}
          <option value="pcsc">{t('settings.readerAnyPcsc')}</option>
          {[...new Set([...readers, ...(draft.reader.startsWith('pcsc:') ? [draft.reader.slice(5)] : [])])].map((name) => (
            <option key={name} value={`pcsc:${name}`}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor="set-timeout">{t('settings.timeout')}</label>
        <input
          id="set-timeout"
          {...invalid('set-timeout')}
          data-testid="settings-wait-timeout"
          type="number"
          min={WAIT_TIMEOUT_MIN_S}
          max={WAIT_TIMEOUT_MAX_S}
          value={draft.waitSeconds}
          onChange={(e) => set('waitSeconds', e.target.value)}
        />
        <label htmlFor="set-printer-mode">{t('settings.printerMode')}</label>
        <select
          id="set-printer-mode"
          data-testid="settings-printer-mode"
          value={draft.printerMode}
          onChange={(e) => set('printerMode', e.target.value as Draft['printerMode'])}
        >
          <option value="dialog">{t('settings.printerDialog')}</option>
          <option value="silent">{t('settings.printerSilent')}</option>
        </select>
        {draft.printerMode === 'silent' && (
          <>
            <label htmlFor="set-printer-name">{t('settings.printerDevice')}</label>
            <input
              id="set-printer-name"
              {...invalid('set-printer-name')}
              data-testid="settings-printer-name"
              value={draft.printerName}
              onChange={(e) => set('printerName', e.target.value)}
            />
          </>
        )}
        <label htmlFor="set-paper">{t('settings.paperWidth')}</label>
        <select
          id="set-paper"
          data-testid="settings-paper-width"
          value={draft.paperWidth}
          onChange={(e) => set('paperWidth', Number(e.target.value) === 58 ? 58 : 80)}
        >
          <option value={58}>{t('settings.paper58')}</option>
          <option value={80}>{t('settings.paper80')}</option>
        </select>
        <label htmlFor="set-language">{t('settings.language')}</label>
        <select
          id="set-language"
          data-testid="settings-language"
          value={draft.language}
          onChange={(e) => set('language', e.target.value as Language)}
        >
          {LANGUAGE_LIST.map((lang) => (
            <option key={lang} value={lang}>
              {t(`language.${lang}`)}
            </option>
          ))}
        </select>
        <details className="full" data-testid="settings-overrides">
          <summary>{t('settings.overridesTitle')}</summary>
          <p className="field-help">{t('settings.overridesHelp')}</p>
          <div className="form">
            <label htmlFor="set-override-currency">{t('settings.overrideCurrency')}</label>
            <input
              id="set-override-currency"
              {...invalid('set-override-currency')}
              data-testid="settings-override-currency"
              maxLength={3}
              value={draft.overrideCurrency}
              onChange={(e) => set('overrideCurrency', e.target.value)}
            />
            <label htmlFor="set-override-zone">{t('settings.overrideTimeZone')}</label>
            <input
              id="set-override-zone"
              {...invalid('set-override-zone')}
              data-testid="settings-override-time-zone"
              value={draft.overrideTimeZone}
              onChange={(e) => set('overrideTimeZone', e.target.value)}
            />
            <label htmlFor="set-override-cutoff">{t('settings.overrideCutoff')}</label>
            <input
              id="set-override-cutoff"
              {...invalid('set-override-cutoff')}
              data-testid="settings-override-cutoff"
              type="number"
              min={0}
              max={23}
              value={draft.overrideCutoff}
              onChange={(e) => set('overrideCutoff', e.target.value)}
            />
          </div>
        </details>
        <label htmlFor="set-refund-limit">{t('settings.cashierRefundLimit')}</label>
        <input
          id="set-refund-limit"
          data-testid="settings-refund-limit"
          inputMode="decimal"
          value={refundLimit}
          onChange={(e) => {
            setSaved(false);
            setRefundLimit(e.target.value);
          }}
        />
        <label htmlFor="set-settlement">{t('settings.settlementAddress')}</label>
        <div>
          <input
            id="set-settlement"
            data-testid="settings-settlement-address"
            type="url"
            style={{ width: '100%' }}
            value={draft.settlementAddress}
            onChange={(e) => set('settlementAddress', e.target.value)}
          />
          <div className="field-help">{t('settings.settlementAddressHelp')}</div>
        </div>
        <label htmlFor="set-kiosk">{t('settings.kiosk')}</label>
        <input
          id="set-kiosk"
          data-testid="settings-kiosk"
          type="checkbox"
          style={{ justifySelf: 'start' }}
          checked={draft.kiosk}
          onChange={(e) => set('kiosk', e.target.checked)}
        />
        <div className="full row">
          <button type="submit" className="primary" data-testid="settings-save" disabled={saving}>
            {t('common.save')}
          </button>
          {problem && (
            <span className="error-text" role="alert" id="settings-problem" data-testid="settings-problem">
              {t(problem)}
            </span>
          )}
          {saved && (
            <span className="ok-text" data-testid="settings-saved">
              {t('settings.saved')}
            </span>
          )}
        </div>
        <div className="full">
          <ErrorNote error={error} testId="settings-error" />
        </div>
      </form>
      {dayChange && (
        <DayChangeDialog
          change={dayChange.change}
          busy={saving}
          onConfirm={() => commit(dayChange.update)}
          onCancel={() => setDayChange(null)}
        />
      )}
      <DemoMode
        onChanged={() => {
          api()
            .getSettings()
            .then((s) => {
              setSettings(s);
              setDraft(draftOf(s));
            })
            .catch(fail);
        }}
      />
      <ChangePin />
    </div>
  );
}
