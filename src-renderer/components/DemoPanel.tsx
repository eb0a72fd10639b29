import type { MouseEvent } from 'react';
import { useEffect, useState } from 'react';
import type { PhoneScenario } from '../../src-main/ipc/contract';
import { api } from '../api';
import { useI18n } from '../i18n';
import { ErrorNote } from './ErrorNote';
import { useRequestError } from '../hooks/use-request-error';

const keepFocus = (event: MouseEvent) => event.preventDefault();

/** Demo mode only: the simulated phone. Each button taps a phone that behaves one way. */
export function DemoPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const [scenarios, setScenarios] = useState<PhoneScenario[]>([]);
  const { error, setError, fail } = useRequestError();

  useEffect(() => {
    let live = true;
    api()
      .phoneScenarios()
      .then((list) => live && setScenarios(list))
      .catch((e: unknown) => live && fail(e));
    return () => {
      live = false;
    };
  }, [fail]);

  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch(fail);
  };

  const label = (s: PhoneScenario): string => {
    if (s.expect === 'approved') return t('demo.scenario.approved');
    if (s.reason) return i18n.reason(s.reason).message;
    return t('demo.scenario.other', { name: s.name });
  };

  return (
    <section className="demo-panel" data-testid="demo-phone" aria-label={t('demo.title')}>
      <h2>{t('demo.title')}</h2>
      <div className="field-help">{t('demo.help')}</div>
      <div className="scenarios">
        {(['approved', 'declined', 'none'] as const).map((expect) => {
          const group = scenarios.filter((s) => s.expect === expect);
          if (group.length === 0) return null;
          return [
            <div className="group" key={`group-${expect}`}>
              {t(`demo.group.${expect}`)}
            </div>,
            ...group.map((s) => (
              <button
                type="button"
                key={s.name}
                data-testid={`demo-tap-${s.name}`}
                data-expect={s.expect}
                data-reason={s.reason}
                title={s.name}
                onMouseDown={keepFocus}
                onClick={() => run(() => api().phoneTap({ scenario: s.name }))}
              >
                {s.expect === 'approved' ? '✔ ' : s.expect === 'declined' ? '✖ ' : '• '}
                {label(s)}
                <span className="name">{s.name}</span>
              </button>
            )),
          ];
        })}
      </div>
      <button type="button" data-testid="demo-remove" onMouseDown={keepFocus} onClick={() => run(() => api().phoneRemove())}>
        {t('demo.remove')}
      </button>
      <ErrorNote error={error} testId="demo-error" />
    </section>
  );
}
