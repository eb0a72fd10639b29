// A business date typed as YYYY-MM-DD (the ledger's own form, the same in every language) and
// shown beside it in the interface language. Chromium's <input type="date"> follows the
// browser's locale, not the interface language, so it is not used.
import { useState } from 'react';
import { useI18n } from '../i18n';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date of "YYYY-MM-DD" as UTC midnight, or undefined when it is no real date. */
function dateOf(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text ? date : undefined;
}

export function DateField({
  value,
  onChange,
  testId,
  id,
  label,
}: {
  value: string;
  onChange: (date: string) => void;
  testId: string;
  id?: string;
  label?: string;
}) {
  const { t, language } = useI18n();
  const [text, setText] = useState(value);
  const date = dateOf(text);
  const invalid = text !== '' && !date;
  const shownId = `${testId}-shown`;
  return (
    <span className="date-field">
      <input
        id={id}
        type="text"
        inputMode="numeric"
        lang={language}
        maxLength={10}
        placeholder={t('date.placeholder')}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={shownId}
        data-testid={testId}
        value={text}
        onChange={(e) => {
          const next = e.target.value.replace(/[^\d-]/g, '');
          setText(next);
          // Only a whole date (or none) reaches the screen: half-typed ones are not requests.
          if (next === '' || dateOf(next)) onChange(next);
        }}
      />
      <span id={shownId} className={invalid ? 'error-text' : 'field-help'} data-testid={shownId} aria-live="polite">
        {date ? new Intl.DateTimeFormat(language, { dateStyle: 'full', timeZone: 'UTC' }).format(date) : invalid ? t('date.invalid') : ''}
      </span>
    </span>
  );
}
