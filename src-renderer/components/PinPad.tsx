import { useEffect, useRef, useState } from 'react';
import type { FormEvent, MouseEvent } from 'react';
import { useI18n } from '../i18n';
import { PIN_MAX_LENGTH } from '../../src-main/ipc/constants';

const keepFocus = (event: MouseEvent) => event.preventDefault();
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A PIN field with an on-screen pad; the keyboard types into the field directly. */
export function PinPad({
  onSubmit,
  disabled,
  submitLabel,
  testId = 'pin',
}: {
  onSubmit: (pin: string) => void;
  disabled?: boolean;
  submitLabel: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!disabled) field.current?.focus();
  }, [disabled]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (disabled || pin.length === 0) return;
    onSubmit(pin);
    setPin('');
  };

  const type = (digit: string) => setPin((p) => (p.length < PIN_MAX_LENGTH ? p + digit : p));

  return (
    <form className="pin" onSubmit={submit} data-testid={`${testId}-pad`}>
      <label className="visually-hidden" htmlFor={`${testId}-input`}>
        {t('pin.label')}
      </label>
      <input
        id={`${testId}-input`}
        ref={field}
        className="pin-field"
        data-testid={`${testId}-input`}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={PIN_MAX_LENGTH}
        value={pin}
        disabled={disabled}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, PIN_MAX_LENGTH))}
      />
      <div className="keypad">
        {DIGITS.map((d) => (
          <button
            type="button"
            key={d}
            data-testid={`${testId}-key-${d}`}
            disabled={disabled}
            onMouseDown={keepFocus}
            onClick={() => type(d)}
          >
            {d}
          </button>
        ))}
        <button
          type="button"
          className="key-fn"
          data-testid={`${testId}-key-backspace`}
          aria-label={t('keypad.backspace')}
          disabled={disabled}
          onMouseDown={keepFocus}
          onClick={() => setPin((p) => p.slice(0, -1))}
        >
          ⌫
        </button>
        <button type="button" data-testid={`${testId}-key-0`} disabled={disabled} onMouseDown={keepFocus} onClick={() => type('0')}>
          0
        </button>
        <button type="submit" className="primary key-fn" data-testid={`${testId}-submit`} disabled={disabled || pin.length === 0}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
