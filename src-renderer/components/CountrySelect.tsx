import type { CountryProfile } from '../../src-main/ipc/contract';
import { useI18n } from '../i18n';

/** Country names come from Intl in the interface language, so no list of names is shipped. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function CountrySelect({
  id,
  testId,
  countries,
  value,
  onChange,
}: {
  id: string;
  testId: string;
  countries: CountryProfile[];
  value: string;
  onChange: (code: string) => void;
}) {
  const { language } = useI18n();
  return (
    <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      {!countries.some((c) => c.code === value) && <option value={value}>{value}</option>}
      {countries.map((c) => (
        <option key={c.code} value={c.code}>
          {countryName(c.code, language)} · {c.currency} · {c.timeZone}
        </option>
      ))}
    </select>
  );
}
