'use client';

import type { Market } from '@marketprep/contracts';

import { Field, SelectField } from '../../components/field';
import type { PlanningDraft } from './product-planning';

/**
 * The week's plan facts of a product in its form: trays or bunches, the standing minimum, when
 * the quantities must be decided, and what the oven or field can make (docs/week-plan.md).
 */
export function PlanningFieldset({
  idPrefix,
  draft,
  onChange,
  errors,
  markets,
}: {
  idPrefix: string;
  draft: PlanningDraft;
  onChange: (next: PlanningDraft) => void;
  errors: Record<string, string | undefined>;
  /** The business's markets, each with its own "at least" field. */
  markets: readonly Pick<Market, 'id' | 'name'>[];
}) {
  const minimumError = Object.entries(errors).find(([key]) =>
    key.startsWith('planning.marketMinimums'),
  )?.[1];
  const set = (key: keyof PlanningDraft) => (event: { target: { value: string } }) =>
    onChange({ ...draft, [key]: event.target.value });
  return (
    <fieldset className="fieldset">
      <legend>This week&apos;s plan</legend>
      <div className="form-grid">
        <Field
          id={`${idPrefix}-batch`}
          label="Batch size"
          type="number"
          inputMode="numeric"
          min={1}
          value={draft.batchSize}
          onChange={set('batchSize')}
          hint="Units per tray, bunch or case; 1 = no rounding."
          error={errors['planning.batchSize']}
        />
        <Field
          id={`${idPrefix}-minimum`}
          label="Always bring at least"
          type="number"
          inputMode="numeric"
          min={0}
          value={draft.standingMinimum}
          onChange={set('standingMinimum')}
          hint="So the table looks full."
          error={errors['planning.standingMinimum']}
        />
        <SelectField
          id={`${idPrefix}-days-before`}
          label="Decide by"
          value={draft.daysBefore}
          onChange={set('daysBefore')}
          error={errors['planning.decisionDeadline.daysBefore']}
        >
          <option value="0">the market day</option>
          <option value="1">the day before</option>
          {/* Up to two weeks: "order jars 10 days before" (the API's limit is 14). */}
          {Array.from({ length: 13 }, (_, index) => index + 2).map((days) => (
            <option key={days} value={String(days)}>
              {days} days before
            </option>
          ))}
        </SelectField>
        <Field
          id={`${idPrefix}-time`}
          label="At (market's time)"
          type="time"
          value={draft.time}
          onChange={set('time')}
          error={errors['planning.decisionDeadline.time']}
        />
        <Field
          id={`${idPrefix}-capacity`}
          label="Can make at most"
          type="number"
          inputMode="numeric"
          min={1}
          value={draft.capacityUnits}
          onChange={set('capacityUnits')}
          hint="Empty = no limit."
          error={errors['planning.capacity.units']}
        />
        <SelectField
          id={`${idPrefix}-capacity-period`}
          label="Per"
          value={draft.capacityPeriod}
          onChange={set('capacityPeriod')}
        >
          <option value="week">week (all market days)</option>
          <option value="day">market day</option>
        </SelectField>
      </div>
      {markets.length > 0 && (
        <details
          className="planning-fieldset__markets"
          open={Object.keys(draft.marketMinimums).length > 0}
        >
          <summary>A different minimum at a market</summary>
          <p className="muted small">
            Empty = &ldquo;always bring at least&rdquo; above ({draft.standingMinimum || 0}).
          </p>
          <div className="form-grid">
            {markets.map((market) => (
              <Field
                key={market.id}
                id={`${idPrefix}-minimum-${market.id}`}
                label={`Minimum at ${market.name}`}
                type="number"
                inputMode="numeric"
                min={0}
                value={draft.marketMinimums[market.id] ?? ''}
                onChange={(event) =>
                  onChange({
                    ...draft,
                    marketMinimums: { ...draft.marketMinimums, [market.id]: event.target.value },
                  })
                }
              />
            ))}
          </div>
          {minimumError !== undefined && <p className="mp-field-error">{minimumError}</p>}
        </details>
      )}
    </fieldset>
  );
}
