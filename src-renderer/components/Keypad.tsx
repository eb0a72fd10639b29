import type { MouseEvent } from 'react';
import { useI18n } from '../i18n';
import { Kbd } from './Kbd';
import type { PadKey } from '../lib/checkout-keys';

export type { PadKey };

/** Keeps keyboard focus on the amount when a key is clicked or touched. */
function keepFocus(event: MouseEvent) {
  event.preventDefault();
}

const testIdOf = (key: PadKey) => `keypad-${key}`;

/** The on-screen keypad for touch: the same keys as the keyboard, through the same reducer. */
export function Keypad({
  onKey,
  chargeLabel,
  chargeDisabled,
  disabled,
}: {
  onKey: (key: PadKey) => void;
  chargeLabel?: string;
  chargeDisabled?: boolean;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const digit = (key: PadKey, className?: string) => (
    <button
      type="button"
      key={key}
      className={className}
      data-testid={testIdOf(key)}
      disabled={disabled}
      onMouseDown={keepFocus}
      onClick={() => onKey(key)}
    >
      {key}
    </button>
  );
  const fn = (key: PadKey, label: string, aria: string) => (
    <button
      type="button"
      key={key}
      className="key-fn"
      data-testid={testIdOf(key)}
      aria-label={aria}
      title={aria}
      disabled={disabled}
      onMouseDown={keepFocus}
      onClick={() => onKey(key)}
    >
      {label}
    </button>
  );
  return (
    <div className="keypad" data-testid="keypad">
      {digit('7')}
      {digit('8')}
      {digit('9')}
      {fn('backspace', '⌫', t('keypad.backspace'))}
      {digit('4')}
      {digit('5')}
      {digit('6')}
      {fn('multiply', '×', t('keypad.multiply'))}
      {digit('1')}
      {digit('2')}
      {digit('3')}
      {fn('add', '+', t('keypad.add'))}
      {digit('0', 'key-zero')}
      {digit('00')}
      {fn('clear', t('key.clear'), t('keypad.clear'))}
      {chargeLabel !== undefined && (
        <button
          type="button"
          className="primary key-charge"
          data-testid="charge-button"
          disabled={disabled || chargeDisabled}
          onMouseDown={keepFocus}
          onClick={() => onKey('enter')}
        >
          {chargeLabel}
          <Kbd k="enter" />
        </button>
      )}
    </div>
  );
}
