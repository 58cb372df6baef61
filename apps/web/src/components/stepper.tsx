'use client';

import { useId } from 'react';

/** Props of {@link Stepper}. */
export interface StepperProps {
  /** Visible label, e.g. "Left over". */
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  /** Unit shown after the number, e.g. "loaves". */
  unit?: string;
  id?: string;
}

/**
 * A number with big − and + buttons, for one-handed counting at the stall. The input stays
 * editable (type a number) and the value is clamped to `min`..`max`.
 */
export function Stepper({
  label,
  value,
  onChange,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
  step = 1,
  disabled = false,
  unit,
  id,
}: StepperProps) {
  const autoId = useId();
  const inputId = id ?? `stepper${autoId}`;
  const clamp = (next: number) => Math.min(max, Math.max(min, next));
  return (
    <div className="stepper">
      <label htmlFor={inputId} className="stepper__label">
        {label}
      </label>
      <div className="stepper__controls">
        <button
          type="button"
          className="stepper__button"
          onClick={() => onChange(clamp(value - step))}
          disabled={disabled || value <= min}
          aria-label={`Decrease ${label}`}
          aria-controls={inputId}
        >
          −
        </button>
        <input
          id={inputId}
          className="stepper__input"
          type="number"
          inputMode="decimal"
          min={min}
          max={max === Number.MAX_SAFE_INTEGER ? undefined : max}
          step={step}
          value={Number.isFinite(value) ? value : ''}
          disabled={disabled}
          onChange={(event) => {
            const next = event.currentTarget.valueAsNumber;
            onChange(Number.isFinite(next) ? clamp(next) : min);
          }}
        />
        <button
          type="button"
          className="stepper__button"
          onClick={() => onChange(clamp(value + step))}
          disabled={disabled || value >= max}
          aria-label={`Increase ${label}`}
          aria-controls={inputId}
        >
          +
        </button>
        {unit ? <span className="stepper__unit">{unit}</span> : null}
      </div>
    </div>
  );
}
