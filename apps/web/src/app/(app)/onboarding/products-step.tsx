'use client';

import { ProductSchema, ProductUpdateBodySchema, type Product } from '@marketprep/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError } from '../../../components/field';
import { apiFetch, describeWriteError, fieldErrors } from '../../../lib/session';
import { CoverageNote, productsKey } from '../products/economics-form';
import {
  criticalRatio,
  formatMoneyInput,
  parseMoneyInput,
  priceRuleErrors,
} from '../products/money-input';
import './onboarding.css';

/** One product's fields as the owner types them. */
interface Draft {
  price: string;
  cost: string;
  salvage: string;
  unit: string;
}

const draftOf = (product: Product): Draft => ({
  price: formatMoneyInput(product.priceMinor),
  cost: formatMoneyInput(product.unitCostMinor),
  salvage: formatMoneyInput(product.salvageValueMinor),
  unit: product.unit,
});

type Checked =
  | {
      ok: true;
      body: { priceMinor: number; unitCostMinor: number; salvageValueMinor: number; unit: string };
    }
  | { ok: false; errors: Record<string, string> };

/** Validates one product's draft with the contracts (and leftover below price). */
function checkDraft(draft: Draft): Checked {
  const errors: Record<string, string> = {};
  const money = (text: string, key: string) => {
    const value = parseMoneyInput(text);
    if (value === null) errors[key] = 'Enter an amount like 4.50';
    return value ?? 0;
  };
  const body = {
    priceMinor: money(draft.price, 'priceMinor'),
    unitCostMinor: money(draft.cost, 'unitCostMinor'),
    salvageValueMinor: money(draft.salvage, 'salvageValueMinor'),
    unit: draft.unit,
  };
  const parsed = ProductUpdateBodySchema.safeParse(body);
  const next = {
    ...priceRuleErrors(body),
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...errors,
  };
  return Object.keys(next).length > 0 || !parsed.success
    ? { ok: false, errors: next }
    : { ok: true, body };
}

const changed = (product: Product, body: Extract<Checked, { ok: true }>['body']) =>
  product.priceMinor !== body.priceMinor ||
  product.unitCostMinor !== body.unitCostMinor ||
  product.salvageValueMinor !== body.salvageValueMinor ||
  product.unit !== body.unit;

/**
 * The products step's one form: price, unit cost, leftover value and unit of every product, one
 * "Save and continue" for all. Every row is checked first and nothing is sent while one needs a
 * fix (each row says what); then the changed products are saved, and a product the API refuses
 * keeps its message on its row (the others are saved) so the owner fixes it and saves again.
 */
export function ProductsEconomicsForm({
  products,
  onDone,
}: {
  products: readonly Product[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(products.map((p) => [p.id, draftOf(p)])),
  );
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (id: string, patch: Partial<Draft>) => {
    setDrafts((current) => ({ ...current, [id]: { ...(current[id] as Draft), ...patch } }));
    // An edited row's messages are answered (or come back on the next save).
    setErrors((current) => {
      if (!(id in current)) return current;
      const { [id]: _edited, ...rest } = current;
      return rest;
    });
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = products.map((product) => ({
      product,
      result: checkDraft(drafts[product.id] ?? draftOf(product)),
    }));
    const invalid = checked.filter((c) => !c.result.ok);
    if (invalid.length > 0) {
      setErrors(
        Object.fromEntries(invalid.map((c) => [c.product.id, c.result.ok ? {} : c.result.errors])),
      );
      setFormError({
        message: `${invalid.length === 1 ? '1 product needs' : `${invalid.length} products need`} a fix before anything is saved:`,
        items: invalid.map((c) => c.product.name),
      });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    const refused: { product: Product; message: string }[] = [];
    for (const { product, result } of checked) {
      if (!result.ok || !changed(product, result.body)) continue;
      try {
        await apiFetch({
          path: `/v1/products/${product.id}`,
          method: 'PATCH',
          json: result.body,
          schema: ProductSchema,
        });
      } catch (caught) {
        refused.push({ product, message: describeWriteError(caught).message });
      }
    }
    await queryClient.invalidateQueries({ queryKey: productsKey });
    setBusy(false);
    if (refused.length > 0) {
      setErrors(Object.fromEntries(refused.map((r) => [r.product.id, { form: r.message }])));
      setFormError({
        message: `${refused.length === 1 ? '1 product was' : `${refused.length} products were`} not saved (the others are):`,
        items: refused.map((r) => `${r.product.name}: ${r.message}`),
      });
      return;
    }
    onDone();
  };

  return (
    <form
      className="form"
      noValidate
      aria-label="Product economics"
      onSubmit={(event) => void submit(event)}
    >
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <ul className="card-grid card-grid--wide">
        {products.map((product) => {
          const draft = drafts[product.id] ?? draftOf(product);
          const rowErrors = errors[product.id] ?? {};
          const ratio = criticalRatio(
            parseMoneyInput(draft.price) ?? 0,
            parseMoneyInput(draft.cost) ?? 0,
            parseMoneyInput(draft.salvage) ?? 0,
          );
          const prefix = `onboarding-${product.id}`;
          return (
            <li key={product.id} className="card">
              <fieldset className="onboarding-product">
                <legend className="card__title">{product.name}</legend>
                {rowErrors.form && (
                  <p className="field__error" role="alert">
                    {rowErrors.form}
                  </p>
                )}
                <div className="form-grid">
                  <Field
                    id={`${prefix}-price`}
                    label="Price ($)"
                    inputMode="decimal"
                    value={draft.price}
                    onChange={(e) => update(product.id, { price: e.currentTarget.value })}
                    error={rowErrors.priceMinor}
                  />
                  <Field
                    id={`${prefix}-cost`}
                    label="Unit cost ($)"
                    inputMode="decimal"
                    value={draft.cost}
                    onChange={(e) => update(product.id, { cost: e.currentTarget.value })}
                    error={rowErrors.unitCostMinor}
                  />
                  <Field
                    id={`${prefix}-salvage`}
                    label="Leftover value ($)"
                    inputMode="decimal"
                    value={draft.salvage}
                    onChange={(e) => update(product.id, { salvage: e.currentTarget.value })}
                    error={rowErrors.salvageValueMinor}
                  />
                  <Field
                    id={`${prefix}-unit`}
                    label="Counted in"
                    value={draft.unit}
                    onChange={(e) => update(product.id, { unit: e.currentTarget.value })}
                    hint="e.g. loaf, bunch, jar"
                    error={rowErrors.unit}
                  />
                </div>
                <CoverageNote ratio={ratio} costMinor={parseMoneyInput(draft.cost) ?? 0} />
              </fieldset>
            </li>
          );
        })}
      </ul>
      <div className="product-form__actions">
        <Button type="submit" busy={busy} busyLabel="Saving…">
          Save and continue
        </Button>
      </div>
    </form>
  );
}
