import type { ReaderStatus } from '../../src-main/domain/payment';
import { useI18n } from '../i18n';
import { NoReaderIcon, PhoneIcon, ProcessingIcon, ReaderIcon, RemoveIcon } from './Icons';

const ICONS = {
  'no-service': NoReaderIcon,
  'no-reader': NoReaderIcon,
  ready: ReaderIcon,
  'phone-detected': PhoneIcon,
  processing: ProcessingIcon,
  'remove-phone': RemoveIcon,
} as const;

/** Always on screen: whether a tap can be taken right now. */
export function ReaderStatusPill({ status }: { status: ReaderStatus | null }) {
  const { t } = useI18n();
  const state = status?.state ?? 'no-service';
  const Icon = ICONS[state];
  return (
    <span
      className="reader-status"
      data-testid="reader-status"
      data-state={state}
      data-kind={status?.kind}
      role="status"
      aria-live="polite"
      title={status?.readerName}
    >
      <Icon />
      <span>{t(`reader.${state}`)}</span>
      {status?.kind === 'stub' && <span className="kind">({t('reader.simulated')})</span>}
    </span>
  );
}
