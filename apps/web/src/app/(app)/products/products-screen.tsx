'use client';

import { ProductCreateBodySchema, ProductSchema } from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorState } from '../../../components/error-state';
import { Field, FormError } from '../../../components/field';
import { LoadingSkeleton } from '../../../components/loading-skeleton';
import { Money } from '../../../components/money';
import { marketsQueryOptions } from '../../../features/markets/markets.api';
import { describeSeason } from '../../../features/products/product-season';
import { describeShelfLife } from '../../../features/products/shelf-life';
import { formatUnitPrice } from '../../../lib/format';
import {
  apiFetch,
  describeWriteError,
  fieldErrors,
  useSession,
  formText,
} from '../../../lib/session';
import { EconomicsExplainer, EconomicsForm, productsKey } from './economics-form';
import { parseMoneyInput } from './money-input';
import { productsQueryOptions } from './products.api';

function AddProduct() {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const price = parseMoneyInput(formText(form, 'price'));
    // Optional: left blank, the prep list packs it like the products with a cost until it is set.
    const costText = formText(form, 'cost').trim();
    const cost = costText === '' ? 0 : parseMoneyInput(costText);
    const parsed = ProductCreateBodySchema.safeParse({
      name: formText(form, 'name'),
      unit: formText(form, 'unit') || 'each',
      priceMinor: price ?? -1,
      ...(cost ? { unitCostMinor: cost } : {}),
    });
    if (!parsed.success || price === null || cost === null) {
      const next = parsed.success ? {} : fieldErrors(parsed.error);
      if (price === null) next.priceMinor = 'Enter a price like 4.50';
      if (cost === null) next.unitCostMinor = 'Enter a cost like 1.20, or leave it blank';
      setErrors(next);
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const product = await apiFetch({
        path: '/v1/products',
        method: 'POST',
        json: parsed.data,
        schema: ProductSchema,
      });
      formElement.reset();
      setAdded(product.name);
      await queryClient.invalidateQueries({ queryKey: productsKey });
    } catch (caught) {
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="add-product-title">
      <h2 id="add-product-title">Add a product</h2>
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      {added && (
        <p className="notice notice--success" role="status">
          Added {added}. Set its leftover value and season above.
        </p>
      )}
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <div className="form-grid">
          <Field label="Product name" name="name" error={errors.name} />
          <Field label="Price ($)" name="price" inputMode="decimal" error={errors.priceMinor} />
          <Field
            label="Unit cost ($)"
            name="cost"
            inputMode="decimal"
            hint="What one costs you to make or buy"
            error={errors.unitCostMinor}
          />
          <Field label="Counted in" name="unit" placeholder="each" error={errors.unit} />
        </div>
        <Button type="submit" busy={busy} busyLabel="Adding…">
          Add product
        </Button>
      </form>
    </section>
  );
}

/** Products with their economics; owners edit them, staff read them. */
export function ProductsScreen() {
  const { isOwner } = useSession();
  const query = useQuery(productsQueryOptions());
  const marketsQuery = useQuery(marketsQueryOptions());
  const markets = marketsQuery.data?.markets ?? [];
  const marketName = (id: string) => markets.find((market) => market.id === id)?.name;
  const [filter, setFilter] = useState('');
  const products = (query.data?.data ?? []).filter((p) =>
    p.name.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  return (
    <>
      <div className="page-header">
        <h1>Products</h1>
        <p className="page-header__lede">
          What you sell, and what each one earns and costs. These numbers decide how generously the
          prep list packs.
        </p>
      </div>
      <EconomicsExplainer />
      <section className="section" aria-labelledby="product-list-title">
        <div className="section__header">
          <h2 id="product-list-title">Your products</h2>
        </div>
        {query.isPending ? (
          <LoadingSkeleton label="Loading your products…" cards={3} />
        ) : query.data === undefined ? (
          <ErrorState
            title="We could not load your products"
            error={query.error}
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
            headingLevel={3}
          />
        ) : query.data.data.length === 0 ? (
          <EmptyState title="No products yet" headingLevel={3}>
            <p>
              Import your sales from a CSV or Square and your products appear here, or add one
              below.
            </p>
          </EmptyState>
        ) : (
          <>
            <Field
              label="Find a product"
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.currentTarget.value)}
            />
            {products.length === 0 && <p className="muted">No product matches “{filter}”.</p>}
            <ul className="card-grid">
              {products.map((product) => (
                <li key={product.id} className="card product-card">
                  <h3 className="card__title">{product.name}</h3>
                  <p className="card__meta">
                    {formatUnitPrice(product.priceMinor, product.unit)} ·{' '}
                    {product.unitCostMinor > 0 ? (
                      <>
                        cost <Money minor={product.unitCostMinor} />
                      </>
                    ) : (
                      'no cost set'
                    )}{' '}
                    · leftover <Money minor={product.salvageValueMinor} />
                    {describeShelfLife(product.shelfLifeDays) !== null &&
                      ` · ${describeShelfLife(product.shelfLifeDays)}`}
                  </p>
                  <p className="card__meta">{describeSeason(product.season, marketName)}</p>
                  {isOwner && (
                    <details className="explainer">
                      <summary>
                        Edit price, cost and season
                        <span className="visually-hidden"> of {product.name}</span>
                      </summary>
                      <EconomicsForm product={product} seasonMarkets={markets} />
                    </details>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {isOwner && <AddProduct />}
    </>
  );
}
