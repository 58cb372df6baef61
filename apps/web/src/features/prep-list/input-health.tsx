import type { InputHealth, PrepList } from '@marketprep/contracts';
import type { PrepListTimes } from './prep-list.api';

const VERDICT_WORD: Record<InputHealth['verdict'], string> = {
  good: 'Inputs good',
  check: 'Check before packing',
  stale: 'Inputs out of date',
};
const NOTICE: Record<InputHealth['verdict'], string> = {
  good: 'pl-health--good',
  check: 'notice notice--warning pl-health--check',
  stale: 'notice notice--error pl-health--stale',
};

/**
 * How far to trust the list (docs/input-health.md): the verdict and, when not good, what is off,
 * at the top; every input's reason and the "as of" times behind "details". A list cached offline
 * before health existed has none: only the times show.
 */
export function InputHealthBlock({ list, times }: { list: PrepList; times: PrepListTimes }) {
  const health = (list as Partial<PrepList>).health;
  const verdict = health?.verdict ?? 'good';
  const offReasons = health?.reasons.filter((r) => r.status !== 'good') ?? [];
  return (
    <section
      className={`pl-health ${NOTICE[verdict]}`}
      aria-label="Input health"
      data-verdict={health ? verdict : 'unknown'}
    >
      {health && (
        <p className="pl-health__verdict">
          <strong>{VERDICT_WORD[verdict]}.</strong>{' '}
          {offReasons.length === 0
            ? 'Sales, weather, events and model are up to date.'
            : // One line, so the first product stays on a phone's first screen; each reason in full
              // is one tap away under "details".
              `Look at: ${offReasons.map((r) => r.text.split(':')[0]?.toLowerCase()).join(', ')}.`}
        </p>
      )}
      <details className="pl-fresh">
        <summary className="pl-fresh__summary">
          <span>List as of {times.list}</span>
          <span className="pl-fresh__more"> · details</span>
        </summary>
        {health && (
          <ul className="pl-health__reasons">
            {health.reasons.map((reason) => (
              <li key={reason.input} data-status={reason.status}>
                <span className="pl-health__dot" aria-hidden="true" />
                {reason.text}
              </li>
            ))}
          </ul>
        )}
        <dl className="pl-fresh__times" aria-label="Data freshness">
          <div>
            <dt>Sales</dt>
            <dd>{times.sales}</dd>
          </div>
          <div>
            <dt>Weather</dt>
            <dd>{times.weather}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>{times.events}</dd>
          </div>
        </dl>
      </details>
    </section>
  );
}

/**
 * The verdict of several lists read together (the week's plan): one line with the inputs to
 * look at, each reason (naming its market days) behind "details".
 */
export function InputHealthSummary({ health }: { health: InputHealth }) {
  const off = health.reasons.filter((r) => r.status !== 'good');
  const inputs = [...new Set(off.map((r) => r.input))];
  return (
    <section
      className={`pl-health ${NOTICE[health.verdict]}`}
      aria-label="Input health"
      data-verdict={health.verdict}
    >
      <p className="pl-health__verdict">
        <strong>{VERDICT_WORD[health.verdict]}.</strong>{' '}
        {off.length === 0
          ? 'Sales, weather, events and model are up to date for every market day.'
          : `Look at: ${inputs.join(', ')}.`}
      </p>
      {off.length > 0 && (
        <details className="pl-fresh">
          <summary className="pl-fresh__summary">
            <span>Which market days</span>
            <span className="pl-fresh__more"> · details</span>
          </summary>
          <ul className="pl-health__reasons">
            {off.map((reason) => (
              <li key={`${reason.input}|${reason.text}`} data-status={reason.status}>
                <span className="pl-health__dot" aria-hidden="true" />
                {reason.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
