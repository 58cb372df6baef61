'use client';

import type { PrepList, PrepListLine } from '@marketprep/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  memo,
  startTransition,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useState,
  type FormEvent,
} from 'react';
import { flushSync } from 'react-dom';

import { AppLink } from '../../components/app-link';
import { PlanLocked, usePlanFeature } from '../billing/plan-lock';
import { ApiError, describeLoadError } from '../../lib/api-client';
import {
  currentYearIn,
  formatLocalDate,
  formatQuantity,
  isValidTimeZone,
  pluralizeUnit,
} from '../../lib/format';
import { useSession } from '../../lib/session';
import { useMarketToday } from '../../lib/use-market-today';
import { useOnline } from '../offline/use-online';
import { explanationSentence, formatUnits, splitExplanation } from './explanation';
import { formatInstant } from './format-instant';
import { useMarketDayWords } from './market-day-words';
import { HolidayCheck } from '../markets/holiday-check';
import { InputHealthBlock } from './input-health';
import { coverageWords, lineRevenueWords, listRevenueWords, printedTotalWords } from './pricing';
import {
  exportLinks,
  prepListQueryKey,
  prepListQueryOptions,
  productCategoriesQueryOptions,
  prepListResult,
  setOverrideQuantity,
  type PrepListResult,
} from './prep-list.api';
import {
  SORT_OPTIONS,
  categoriesOnList,
  formatRange,
  isPrepListSort,
  sortAndFilterLines,
  type PrepListSort,
} from './sort-filter';
import {
  isOutOfSeason,
  outOfSeasonMatchesNote,
  outOfSeasonToggleLabel,
  seasonNote,
  splitBySeason,
} from './season';
import { ErrorBlock, LoadingBlock, EmptyBlock } from './states';

const RUNG_NOTES: Partial<Record<PrepListLine['modelRung'], string>> = {
  thin: 'Few market days of history so far: the range is wide on purpose.',
  'cold-start':
    'No sales of it here yet: a guess, with a wide range. Adjust it to what you expect.',
  closed: 'The market is closed that day.',
};

function ExplanationBody({ line, date }: { line: PrepListLine; date: string }) {
  const { isOwner } = useSession();
  const { minor } = splitExplanation(line.explanation, { date });
  const rungNote = RUNG_NOTES[line.modelRung];
  return (
    <>
      <p className="pl-why__sentence">
        {explanationSentence(line.explanation, { date, unit: line.unit })}
      </p>
      {/* Only what the sentence leaves out: the small effects and where they add up to. */}
      <ul className="pl-why__parts">
        {minor.length > 0 && (
          <li className="pl-why__minor">
            <span>Smaller effects:</span>{' '}
            {minor.map((part) => `${part.label} ${part.value}`).join(' · ')}
          </li>
        )}
        <li>
          <span>Most likely sales</span>{' '}
          <strong>{formatQuantity(line.q50, line.unit, formatUnits(line.q50))}</strong>
        </li>
      </ul>
      <p className="pl-muted">
        {coverageWords(line)}
        {line.costed === false &&
          (isOwner ? (
            <>
              {' '}
              <AppLink href="/products">Set its cost</AppLink> to weigh a leftover against a missed
              sale.
            </>
          ) : (
            // Staff read the Products page; only an owner sets a cost.
            ' The owner can set its cost on Products.'
          ))}
      </p>
      {rungNote !== undefined && <p className="pl-muted">{rungNote}</p>}
    </>
  );
}

/**
 * "Why N?" behind a disclosure. The body is rendered once opened: closed, it is invisible anyway,
 * and rendering (then hydrating) some 25 elements per product for every line made up half of the
 * page's DOM and much of its start-up work on a phone.
 */
function Explanation({ line, date }: { line: PrepListLine; date: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="pl-why" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{`Why ${line.effectiveQuantity}?`}</summary>
      {open && <ExplanationBody line={line} date={date} />}
    </details>
  );
}

function OverrideEditor({
  line,
  busy,
  onSave,
  onCancel,
}: {
  line: PrepListLine;
  busy: boolean;
  onSave: (quantity: number) => void;
  onCancel: () => void;
}) {
  const inputId = useId();
  const [value, setValue] = useState(String(line.effectiveQuantity));
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const quantity = Number(value);
    if (
      value.trim() === '' ||
      !Number.isInteger(quantity) ||
      quantity < 0 ||
      quantity > 1_000_000
    ) {
      setError('Enter a whole number from 0 to 1,000,000.');
      return;
    }
    onSave(quantity);
  };
  return (
    <form className="pl-override" onSubmit={submit} noValidate>
      <label htmlFor={inputId}>
        {line.unit.trim().toLowerCase() === 'each'
          ? 'Bring instead'
          : `Bring instead (${pluralizeUnit(line.unit, 2)})`}{' '}
        <span className="pl-muted">recommended {line.recommendedQuantity}</span>
      </label>
      <div className="pl-override__row">
        <input
          id={inputId}
          className="mp-input"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={value}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${inputId}-error` : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error !== null && (
        <p id={`${inputId}-error`} className="mp-field-error">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * One product. Memoized, with handlers that take the product id, so adding a batch of cards (or
 * editing one) renders only the cards that changed.
 */
const LineCard = memo(function LineCard({
  line,
  list,
  editing,
  busy,
  onEdit,
  onSave,
  onCancel,
}: {
  line: PrepListLine;
  list: PrepList;
  editing: boolean;
  busy: boolean;
  onEdit: (productId: string) => void;
  onSave: (productId: string, quantity: number | null) => void;
  onCancel: () => void;
}) {
  const overridden = line.overrideQuantity !== null;
  const outOfSeason = isOutOfSeason(line);
  const headingId = `pl-line-${line.productId}`;
  return (
    <li className={outOfSeason ? 'pl-line pl-line--out' : 'pl-line'}>
      <div className="pl-line__main">
        <div className="pl-line__name">
          <h3 id={headingId}>{line.productName}</h3>
          {outOfSeason && <p className="pl-season-note">{seasonNote(line)}</p>}
          {/* One text node rather than six (and the markers between them) per card. A no-break
              space before each dot: a wrapped line never starts with "· $531.86". */}
          {(!outOfSeason || overridden) && (
            <p className="pl-muted">
              {`Likely ${formatRange(line.q10, line.q90)}\u00a0· expect to sell ${formatUnits(line.expectedSold)}\u00a0· ${lineRevenueWords(line, list.currency)}`}
            </p>
          )}
        </div>
        <p
          className="pl-qty"
          aria-label={`Bring ${formatQuantity(line.effectiveQuantity, line.unit)}`}
        >
          <span className="pl-qty__number">{line.effectiveQuantity}</span>
          <span className="pl-qty__unit">{pluralizeUnit(line.unit, line.effectiveQuantity)}</span>
        </p>
      </div>
      {overridden && (
        <p className="pl-overridden">
          <span className="badge badge--demo">Overridden</span> by you · recommended{' '}
          {line.recommendedQuantity}{' '}
          <button
            type="button"
            className="button button--link"
            onClick={() => onSave(line.productId, null)}
            disabled={busy}
            aria-label={`Undo: bring the recommended ${line.recommendedQuantity} ${line.productName}`}
          >
            Undo
          </button>
        </p>
      )}
      {editing ? (
        <OverrideEditor
          line={line}
          busy={busy}
          onSave={(quantity) => onSave(line.productId, quantity)}
          onCancel={onCancel}
        />
      ) : (
        <button
          type="button"
          className="button button--link pl-adjust"
          onClick={() => onEdit(line.productId)}
          aria-label={`Adjust quantity of ${line.productName}`}
        >
          Adjust quantity
        </button>
      )}
      {/* Out of season, the note above is the why. */}
      {!outOfSeason && <Explanation line={line} date={list.date} />}
    </li>
  );
});

/**
 * The table the printer gets (hidden on screen): one clean page to pack from, with the totals;
 * out-of-season products are named under it, not rows.
 */
function PrintTable({
  list,
  lines,
  outOfSeason,
  generated,
  day,
  hours,
}: {
  list: PrepList;
  lines: PrepListLine[];
  outOfSeason: PrepListLine[];
  generated: string;
  /** The market day as the header says it ("Sat, Dec 5"). */
  day: string;
  /** Its hours and note ("3:00–7:00 PM · Holiday market"), when known. */
  hours: string | null;
}) {
  return (
    <table className="pl-print">
      <caption>
        {[list.vendorName, list.marketName, day, hours, `as of ${generated}`]
          .filter((part) => part !== null)
          .join(' · ')}
      </caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Bring</th>
          <th scope="col">Likely</th>
          <th scope="col">Expected sold</th>
          <th scope="col">Revenue</th>
          <th scope="col">Packed</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.productId}>
            <td>{line.productName}</td>
            <td>
              {formatQuantity(line.effectiveQuantity, line.unit)}
              {line.overrideQuantity !== null && ' *'}
            </td>
            <td>{formatRange(line.q10, line.q90)}</td>
            <td>{formatUnits(line.expectedSold)}</td>
            <td>{lineRevenueWords(line, list.currency)}</td>
            <td aria-label="Packed">☐</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={6}>{printedTotalWords(list)}</td>
        </tr>
        {outOfSeason.length > 0 && (
          <tr>
            <td colSpan={6}>
              {`Not in season, not to bring: ${outOfSeason.map((line) => line.productName).join(', ')}`}
            </td>
          </tr>
        )}
      </tfoot>
    </table>
  );
}

/**
 * Whether the page is being printed. The print table is rendered only then (it is hidden on
 * screen, and rendering it with every list was a third of the page's elements to hydrate);
 * `beforeprint` fires for the Print button and the browser's own print alike, and the render is
 * flushed before the browser lays the page out for paper.
 */
function usePrinting(): [boolean, () => void] {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  const print = () => {
    flushSync(() => setPrinting(true));
    window.print();
  };
  return [printing, print];
}

/**
 * Product cards in the first HTML. A phone's first screen holds the header, the toolbar and the
 * top of the list; laying out (and parsing, and hydrating) all 30-odd cards of a demo list made up
 * much of the page's start-up blocking time, for cards nobody sees yet.
 */
const FIRST_CARDS = 4;
/** Cards added per idle moment after hydration: small batches keep each render and layout short. */
const CARDS_PER_BATCH = 6;

/** Runs `callback` when the browser is idle (soon, in browsers without idle callbacks). */
function whenIdle(callback: () => void): () => void {
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(callback, { timeout: 500 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = setTimeout(callback, 16);
  return () => clearTimeout(handle);
}

/**
 * How many of `total` cards to render: the first few on the server and at hydration, then a batch
 * per idle moment until all are there (in the page, find-in-page and the accessibility tree), a
 * second or so after the page starts. Once all are rendered, sorting and filtering show every match.
 */
function useRenderedCount(total: number): number {
  const [count, setCount] = useState(FIRST_CARDS);
  const complete = count >= total;
  useEffect(() => {
    if (complete) return;
    return whenIdle(() => startTransition(() => setCount((current) => current + CARDS_PER_BATCH)));
  }, [count, complete]);
  return count;
}

/** The prep list of one market day: what to bring, why, adjustable, printable, offline. */
export function PrepListView({ marketId, date }: { marketId: string; date: string }) {
  const queryClient = useQueryClient();
  const online = useOnline();
  const query = useQuery(prepListQueryOptions(marketId, date));
  const categoriesQuery = useQuery(productCategoriesQueryOptions());
  const hours = useMarketDayWords(marketId, date);
  const [sort, setSort] = useState<PrepListSort>('name');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [showOutOfSeason, setShowOutOfSeason] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [printing, print] = usePrinting();
  const exportsLock = usePlanFeature('exports');

  const { mutate: mutateOverride, ...mutation } = useMutation({
    mutationFn: setOverrideQuantity,
    networkMode: 'always',
    onSuccess: (list, variables) => {
      queryClient.setQueryData<PrepListResult>(
        prepListQueryKey(marketId, date),
        prepListResult(list, null),
      );
      setEditing(null);
      const line = list.lines.find((candidate) => candidate.productId === variables.productId);
      if (line) {
        setNotice(
          variables.overrideQuantity === null
            ? `${line.productName}: back to the recommended ${line.recommendedQuantity}.`
            : `${line.productName}: you will bring ${formatQuantity(line.effectiveQuantity, line.unit)}.`,
        );
      }
    },
    onError: (error) => {
      setNotice(
        error instanceof ApiError && error.status === 403
          ? 'The demo list cannot be changed. Sign in to adjust your own lists.'
          : `The quantity was not changed. ${describeLoadError(error).message}`,
      );
    },
  });

  const categories = useMemo(
    () => categoriesQuery.data ?? new Map<string, string | null>(),
    [categoriesQuery.data],
  );
  const result = query.data;
  const list = result?.list;
  // What is packed (in season, or set by hand) and what the out-of-season toggle shows.
  const season = useMemo(() => splitBySeason(list?.lines ?? []), [list]);
  const lines = useMemo(
    () => sortAndFilterLines(season.onList, { sort, filter: { search, category }, categories }),
    [season, sort, search, category, categories],
  );
  // The out-of-season products the search and category match: listed when the toggle shows
  // them, named in "No product matches" when they are all a search found.
  const seasonMatches = useMemo(
    () =>
      sortAndFilterLines(season.outOfSeason, { sort, filter: { search, category }, categories }),
    [season, sort, search, category, categories],
  );
  const seasonLines = showOutOfSeason ? seasonMatches : [];
  const renderedCount = useRenderedCount(lines.length);
  // The check-in is for after the market: offered from the market day on, by the browser's clock
  // (a list loaded the evening before and opened at the market without signal still offers it).
  const marketToday = useMarketToday(
    list && isValidTimeZone(list.timezone) ? list.timezone : undefined,
    new Date(query.dataUpdatedAt || Date.now()),
  );
  const save = useCallback(
    (productId: string, overrideQuantity: number | null) => {
      setNotice(null);
      mutateOverride({ marketId, date, productId, overrideQuantity });
    },
    [mutateOverride, marketId, date],
  );
  const cancelEditing = useCallback(() => setEditing(null), []);

  if (query.isPending) return <LoadingBlock label="Loading the prep list…" />;
  if (result === undefined || list === undefined) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <ErrorBlock
        title={notFound ? 'No market that day' : 'We could not load this prep list'}
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
        back={{ href: '/prep-list', label: 'Choose another market day' }}
        marketDay={{ verb: 'Prep list', href: (day) => `/prep-list/${marketId}/${day}` }}
      />
    );
  }

  const { cachedAt, times } = result;
  const showOffline = !online || cachedAt !== null;
  const links = exportLinks(marketId, date);
  const categoryOptions = categoriesOnList(list.lines, categories);
  // "Sat, Dec 5"; a market day of another year than now (where the market is) says its year.
  const day = formatLocalDate(list.date, {
    currentYear: currentYearIn(new Date(query.dataUpdatedAt || Date.now()), list.timezone),
  });
  const total = list.totals.effectiveQuantity;
  const revenue = listRevenueWords(list);
  const checkInOpen = marketToday === null || list.date <= marketToday;
  // One card for a line, on the list and under "Out of season" alike.
  const renderCard = (line: PrepListLine) => (
    <LineCard
      key={line.productId}
      line={line}
      list={list}
      editing={editing === line.productId}
      busy={mutation.isPending && mutation.variables.productId === line.productId}
      onEdit={setEditing}
      onCancel={cancelEditing}
      onSave={save}
    />
  );

  return (
    <div className="pl">
      <header className="page-header pl-header">
        <p className="pl-eyebrow">{list.marketName}</p>
        <h1>{`Prep list for ${day}`}</h1>
        {hours !== null && <p className="pl-day-hours">{hours}</p>}
        <p className="page-header__lede">
          {`${total} ${total === 1 ? 'item' : 'items'} to bring · ${
            revenue === null
              ? 'no prices yet: add them under Products for expected revenue'
              : `expected revenue ${revenue}`
          }`}
        </p>
      </header>

      <HolidayCheck
        marketId={list.marketId}
        marketDayId={list.marketDayId}
        closingHoliday={list.closingHoliday ?? null}
      />

      {list.coldStart !== null && (
        <p className="notice notice--info pl-cold-start" role="note">
          <strong>A first guess.</strong> {list.coldStart.note}
        </p>
      )}

      {showOffline && (
        <p className="notice notice--warning pl-offline" role="status">
          <strong>Offline</strong> — showing the list as of{' '}
          {cachedAt !== null
            ? times.list
            : formatInstant(new Date(query.dataUpdatedAt).toISOString(), list.timezone)}
          . Changes wait until you are back online.
        </p>
      )}
      {query.isRefetchError && online && (
        <p className="notice notice--warning" role="status">
          {describeLoadError(query.error).message} Showing the list loaded earlier.
        </p>
      )}

      <InputHealthBlock list={list} times={times} />

      {/* Two short rows on a phone (the check-in from the market day on, else Print; then the
          exports, which show only their format; their accessible names say the rest), one at the
          desk. */}
      <div className="pl-actions">
        {checkInOpen && (
          <AppLink className="button" href={`/check-in/${marketId}/${date}`}>
            Pack-up check-in
          </AppLink>
        )}
        <button
          type="button"
          className={checkInOpen ? 'button button--secondary pl-export' : 'button pl-export'}
          onClick={print}
        >
          Print
        </button>
        {!exportsLock.locked && (
          <>
            <a
              className="button button--secondary pl-export"
              href={links.csv}
              download
              aria-label="Download CSV"
            >
              CSV
            </a>
            <a
              className="button button--secondary pl-export"
              href={links.pdf}
              download
              aria-label="Download PDF"
            >
              PDF
            </a>
          </>
        )}
      </div>
      <PlanLocked feature="exports" what="Downloading the list as CSV or PDF" />

      <div className="pl-toolbar" role="search" aria-label="Sort and filter products">
        <label className="mp-field">
          <span>Search</span>
          <input
            className="mp-input"
            type="search"
            value={search}
            placeholder="Product name"
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        {categoryOptions.length > 0 && (
          <label className="mp-field">
            <span>Category</span>
            <select
              className="mp-input"
              value={category}
              onChange={(event) => setCategory(event.target.value)}
            >
              <option value="">All categories</option>
              {categoryOptions.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="mp-field">
          <span>Sort by</span>
          <select
            className="mp-input"
            value={sort}
            onChange={(event) => {
              if (isPrepListSort(event.target.value)) setSort(event.target.value);
            }}
          >
            {SORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <p className="visually-hidden" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
      {notice !== null && (
        <p className="pl-notice" aria-hidden="true">
          {notice}
        </p>
      )}

      {list.lines.length === 0 ? (
        <EmptyBlock title="No products on this list">
          <p>
            Add your products (or import your sales) and MarketPrep will say how many of each to
            bring.
          </p>
        </EmptyBlock>
      ) : season.onList.length === 0 ? (
        <EmptyBlock title="Nothing in season to bring">
          <p>
            None of your products is in season for this market day. Show the out-of-season ones to
            bring some anyway.
          </p>
        </EmptyBlock>
      ) : lines.length === 0 ? (
        <EmptyBlock title="No product matches">
          {seasonMatches.length > 0 && (
            <p>{outOfSeasonMatchesNote(seasonMatches.map((line) => line.productName))}</p>
          )}
          <p>Clear the search or choose another category.</p>
        </EmptyBlock>
      ) : (
        <>
          {/* The cards' names are h3s under the page's h1: this keeps the outline in order. */}
          <h2 className="visually-hidden">Products</h2>
          <p className="pl-count pl-muted">
            {`Showing ${lines.length} of ${season.onList.length} products`}
          </p>
          <ul className="pl-lines">{lines.slice(0, renderedCount).map(renderCard)}</ul>
        </>
      )}
      {season.outOfSeason.length > 0 && (
        <section className="pl-season" aria-label="Out-of-season products">
          <button
            type="button"
            className="button button--secondary pl-season__toggle"
            aria-expanded={showOutOfSeason}
            aria-controls="pl-out-of-season"
            onClick={() => setShowOutOfSeason((shown) => !shown)}
          >
            {outOfSeasonToggleLabel(season.outOfSeason.length, showOutOfSeason)}
          </button>
          <div id="pl-out-of-season" hidden={!showOutOfSeason}>
            {showOutOfSeason && (
              <>
                <h2 className="pl-season__title">Out of season</h2>
                <p className="pl-muted">
                  0 to bring, not counted in the totals. Adjust a quantity to bring some anyway.
                </p>
                {seasonLines.length === 0 ? (
                  <p className="pl-muted">No out-of-season product matches.</p>
                ) : (
                  <ul className="pl-lines">{seasonLines.map(renderCard)}</ul>
                )}
              </>
            )}
          </div>
        </section>
      )}
      {printing && (
        <PrintTable
          list={list}
          lines={lines}
          outOfSeason={season.outOfSeason}
          generated={times.generated}
          day={day}
          hours={hours}
        />
      )}
    </div>
  );
}
