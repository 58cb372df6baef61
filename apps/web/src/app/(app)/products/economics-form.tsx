'use client';

import {
  ProductSchema,
  ProductUpdateBodySchema,
  type Market,
  type Product,
} from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import {
  sameSeason,
  seasonDraft,
  seasonFromDraft,
} from '../../../features/products/product-season';
import { SeasonFieldset } from '../../../features/products/season-fieldset';
import { PlanningFieldset } from '../../../features/week-plan/planning-fieldset';
import {
  planningDraft,
  planningFromDraft,
  samePlanning,
} from '../../../features/week-plan/product-planning';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../lib/session';
import { criticalRatio, formatMoneyInput, parseMoneyInput, priceRuleErrors } from './money-input';
// The season control and the sticky Save row, wherever this form is used.
import '../../../features/products/product-season.css';

/** Query key root of products. */
export const productsKey = ['products'] as const;

/** Why price, cost and salvage matter, in a vendor's words. */
export function EconomicsExplainer() {
  return (
    <details className="explainer">
      <summary>Why do price, cost and leftover value matter?</summary>
      <p>
        MarketPrep weighs a lost sale against a leftover. If a product is cheap to make and sells
        for much more, running out costs you more than a leftover, so the list packs generously. If
        it is costly and worth little the next day, the list packs tightly.
      </p>
      <p>
        <strong>Price</strong>: what a customer pays for one. <strong>Unit cost</strong>:
        ingredients, packaging and your share of labour for one. <strong>Leftover value</strong>:
        what one unsold is still worth (sold next day at a discount, frozen, 0 if it goes to waste).
        It must be below the price.
      </p>
    </details>
  );
}

/**
 * Edits one product's economics (owners), and its season when `seasonMarkets` is given;
 * validates with the contracts before sending.
 */
/** What a product's price, cost and leftover value mean for packing, said as they are typed. */
export function CoverageNote({ ratio, costMinor }: { ratio: number | null; costMinor: number }) {
  return (
    <p className="muted small" aria-live="polite">
      {ratio === null
        ? 'Leftover value must be below the price.'
        : costMinor <= 0
          ? // A cost of 0 is one not entered: the prep list packs it like the products with a cost.
            'No unit cost yet: until you enter what one costs you, MarketPrep packs it like your products that have one.'
          : `With these numbers MarketPrep packs to cover about ${Math.round(ratio * 100)}% of likely demand.`}
    </p>
  );
}

export function EconomicsForm({
  product,
  onSaved,
  idPrefix,
  seasonMarkets,
}: {
  product: Product;
  onSaved?: (product: Product) => void;
  /** Makes input ids unique when several forms share a page. */
  idPrefix?: string;
  /** Shows the season control, with these markets for "Not at this market". */
  seasonMarkets?: readonly Pick<Market, 'id' | 'name'>[];
}) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState({
    price: formatMoneyInput(product.priceMinor),
    cost: formatMoneyInput(product.unitCostMinor),
    salvage: formatMoneyInput(product.salvageValueMinor),
  });
  const [season, setSeason] = useState(() => seasonDraft(product.season));
  const [planning, setPlanning] = useState(() => planningDraft(product.planning));
  const prefix = idPrefix ?? product.id;
  const ratio = criticalRatio(
    parseMoneyInput(preview.price) ?? 0,
    parseMoneyInput(preview.cost) ?? 0,
    parseMoneyInput(preview.salvage) ?? 0,
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const moneyErrors: Record<string, string> = {};
    const money = (field: string, key: string) => {
      const value = parseMoneyInput(formText(form, field));
      if (value === null) moneyErrors[key] = 'Enter an amount like 4.50';
      return value ?? 0;
    };
    const units = formText(form, 'expectedDailyUnits').trim();
    const keeps = formText(form, 'shelfLifeDays').trim();
    const body = {
      unit: formText(form, 'unit'),
      priceMinor: money('price', 'priceMinor'),
      unitCostMinor: money('cost', 'unitCostMinor'),
      salvageValueMinor: money('salvage', 'salvageValueMinor'),
      expectedDailyUnits: units === '' ? null : Number(units),
      shelfLifeDays: keeps === '' ? null : Number(keeps),
    };
    const nextSeason = seasonFromDraft(season);
    // Sent only when changed here: a save of the price never overwrites a season set elsewhere.
    const seasonChange =
      seasonMarkets && !sameSeason(nextSeason, product.season) ? { season: nextSeason } : {};
    // Planning too, only when changed here (the week's plan reads it; docs/week-plan.md).
    const nextPlanning = planningFromDraft(planning);
    const planningChange = samePlanning(nextPlanning, product.planning)
      ? {}
      : { planning: nextPlanning };
    const parsed = ProductUpdateBodySchema.safeParse({
      ...body,
      ...seasonChange,
      ...planningChange,
    });
    const next: Record<string, string> = {
      ...priceRuleErrors(body),
      ...(parsed.success ? {} : fieldErrors(parsed.error)),
      ...moneyErrors,
    };
    if (next['season.months']) next['season.months'] = 'Pick at least one month.';
    setSaved(false);
    if (!parsed.success || Object.keys(next).length > 0) {
      setErrors(next);
      setFormError({ message: 'Check the highlighted fields.', items: [] });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const updated = await apiFetch({
        path: `/v1/products/${product.id}`,
        method: 'PATCH',
        json: parsed.data,
        schema: ProductSchema,
      });
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: productsKey });
      onSaved?.(updated);
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      aria-label={`Economics of ${product.name}`}
      onSubmit={(event) => void submit(event)}
      onChange={(event) => {
        const form = new FormData(event.currentTarget);
        setPreview({
          price: formText(form, 'price'),
          cost: formText(form, 'cost'),
          salvage: formText(form, 'salvage'),
        });
      }}
    >
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <div className="form-grid">
        <Field
          id={`${prefix}-price`}
          label="Price ($)"
          name="price"
          inputMode="decimal"
          defaultValue={formatMoneyInput(product.priceMinor)}
          error={errors.priceMinor}
        />
        <Field
          id={`${prefix}-cost`}
          label="Unit cost ($)"
          name="cost"
          inputMode="decimal"
          defaultValue={formatMoneyInput(product.unitCostMinor)}
          error={errors.unitCostMinor}
        />
        <Field
          id={`${prefix}-salvage`}
          label="Leftover value ($)"
          name="salvage"
          inputMode="decimal"
          defaultValue={formatMoneyInput(product.salvageValueMinor)}
          error={errors.salvageValueMinor}
        />
        <Field
          id={`${prefix}-unit`}
          label="Counted in"
          name="unit"
          defaultValue={product.unit}
          hint="e.g. loaf, bunch, jar"
          error={errors.unit}
        />
        <Field
          id={`${prefix}-units`}
          label="Typical sales per market day"
          name="expectedDailyUnits"
          type="number"
          inputMode="decimal"
          min={0}
          defaultValue={product.expectedDailyUnits ?? ''}
          hint="Optional; used until there is sales history."
          error={errors.expectedDailyUnits}
        />
        <Field
          id={`${prefix}-shelf-life`}
          label="Sellable for (days)"
          name="shelfLifeDays"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          defaultValue={product.shelfLifeDays ?? ''}
          hint="Counting the day it is made: 1 = that day only, 2 = Saturday's on Sunday. This week's plan carries leftovers within it; blank carries none."
          error={errors.shelfLifeDays}
        />
      </div>
      <CoverageNote ratio={ratio} costMinor={parseMoneyInput(preview.cost) ?? 0} />
      {seasonMarkets && (
        <SeasonFieldset
          idPrefix={prefix}
          productName={product.name}
          draft={season}
          onChange={(next) => {
            setSeason(next);
            // A month picked (or another mode) answers "Pick at least one month".
            if (errors['season.months'] && (next.months.length > 0 || next.mode !== 'months')) {
              const { ['season.months']: _fixed, ...rest } = errors;
              setErrors(rest);
              if (Object.keys(rest).length === 0) setFormError(null);
            }
          }}
          markets={seasonMarkets}
          error={errors['season.months']}
        />
      )}
      <PlanningFieldset
        idPrefix={prefix}
        draft={planning}
        onChange={setPlanning}
        errors={errors}
        markets={seasonMarkets ?? []}
      />
      <div className="product-form__actions">
        {saved && (
          <p className="notice notice--success" role="status">
            Saved {product.name}.
          </p>
        )}
        <Button type="submit" busy={busy} busyLabel="Saving…">
          Save {product.name}
        </Button>
      </div>
    </form>
  );
}
