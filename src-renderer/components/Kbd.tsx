import { useI18n } from '../i18n';

export type KeyName = 'enter' | 'esc' | 'del' | 'f2' | 'f4' | 'f8' | 'f9' | 'p' | 'plus' | 'times';

/** A key cap next to the action it triggers; the label comes from the catalog like any text. */
export function Kbd({ k }: { k: KeyName }) {
  const { t } = useI18n();
  return <kbd>{t(`key.${k}`)}</kbd>;
}
