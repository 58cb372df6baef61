'use client';

import {
  MarketCreateBodySchema,
  MarketSchema,
  MarketUpdateBodySchema,
  type Market,
} from '@marketprep/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '../../../components/button';
import { Field, FormError, SelectField } from '../../../components/field';
import {
  formatScheduleSummary,
  type ScheduleEntry,
} from '../../../features/markets/market-schedule';
import '../../../features/markets/markets.css';
import { marketsQueryKey, marketsQueryOptions } from '../../../features/markets/markets.api';
import {
  shownSizeChoice,
  sizeReferenceOptions,
  sizeReferencesFor,
  sizeScaleOptions,
  toSizeChoice,
  toSizePayload,
  type SizeChoice,
} from '../../../features/markets/market-size';
import {
  applyWeeksChoice,
  previewSchedule,
  toSchedulePayload,
  toScheduleRows,
  weeksChoiceOf,
  weeksChoices,
  withWeekday,
  type ScheduleRow,
} from '../../../features/markets/schedule-rows';
import { lacksLocation } from '../../../features/markets/market-location';
import { ApiError } from '../../../lib/api-client';
import { formatWeekday, isValidTimeZone, toLocalDate } from '../../../lib/format';
import { apiFetch, describeWriteError, fieldErrors, formText } from '../../../lib/session';
import { formatMoneyInput, parseMoneyInput } from '../products/money-input';
import { LocationLookup } from './location-lookup';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
let rowKey = 0;
const nextRowKey = () => (rowKey += 1);
const NEW_ROW = {
  weekday: 5,
  opensAt: '08:00',
  closesAt: '13:00',
  seasonFrom: '',
  seasonTo: '',
  weeksOfMonth: [],
  everyOtherWeekFrom: '',
};

/**
 * Creates (no `market`) or edits a market: location (lat/lon required; 0,0 counts as missing),
 * IANA time zone, country, booth fee (latitude, longitude, time zone and state can be filled in from
 * a ZIP code or town with {@link LocationLookup}, or typed) and the weekly schedule with each opening's season (blank for
 * all year), and, when the vendor has another market, how big it is compared with one of them
 * ("About half of Riverside"). Validated with the contracts. It sends every field it shows,
 * seasons and size included, so saving one change keeps the rest; a size it does not show (no
 * other market listed yet) is left out and so kept.
 */
export function MarketForm({
  market,
  onSaved,
  initialSchedule,
}: {
  market?: Market;
  onSaved?: (market: Market) => void;
  /** Rows to start from instead of the market's saved schedule (one suggested from its sales). */
  initialSchedule?: readonly ScheduleEntry[];
}) {
  const queryClient = useQueryClient();
  const prefix = market?.id ?? 'new-market';
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; items: string[] } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<ScheduleRow[]>(() =>
    initialSchedule
      ? toScheduleRows(initialSchedule, nextRowKey)
      : market
        ? toScheduleRows(market.schedule, nextRowKey)
        : [{ key: nextRowKey(), ...NEW_ROW }],
  );
  // Controlled so that a place found by the lookup fills them in; typing stays possible.
  const [location, setLocation] = useState(() => ({
    latitude: market && !lacksLocation(market) ? String(market.latitude) : '',
    longitude: market && !lacksLocation(market) ? String(market.longitude) : '',
    timezone: market?.timezone ?? browserZone(),
    countryCode: market?.countryCode ?? 'US',
    regionCode: market?.regionCode ?? '',
  }));
  const locationField = (name: keyof typeof location) => ({
    name,
    value: location[name],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setLocation((current) => ({ ...current, [name]: value }));
    },
  });
  // The vendor's other markets (the list's cache): the size compares with one of them.
  const markets = useQuery(marketsQueryOptions());
  const references = sizeReferencesFor(markets.data?.markets ?? [], market?.id);
  const [size, setSize] = useState<SizeChoice>(() =>
    toSizeChoice(market?.expectedSize, references),
  );
  const sizeChoice = shownSizeChoice(size, references);
  const showSize = references.length > 0;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formText(form, name).trim();
    const number = (name: string) => (text(name) === '' ? Number.NaN : Number(text(name)));
    const fee = parseMoneyInput(text('boothFee') || '0');
    const schedule = toSchedulePayload(rows);
    const body = {
      name: text('name'),
      address: text('address') || null,
      latitude: number('latitude'),
      longitude: number('longitude'),
      timezone: text('timezone'),
      countryCode: text('countryCode'),
      regionCode: text('regionCode') || null,
      boothFeeMinor: fee ?? -1,
      schedule: schedule.ok ? schedule.schedule : [],
      ...toSizePayload(size, references),
    };
    const parsed = market
      ? MarketUpdateBodySchema.safeParse(body)
      : MarketCreateBodySchema.safeParse(body);
    const next = {
      ...(parsed.success ? {} : fieldErrors(parsed.error)),
      ...(schedule.ok ? {} : schedule.errors),
    };
    if (Number.isNaN(body.latitude)) next.latitude = 'Enter the latitude, e.g. 41.9136';
    if (Number.isNaN(body.longitude)) next.longitude = 'Enter the longitude, e.g. -87.6347';
    if (body.latitude === 0 && body.longitude === 0) {
      next.latitude = 'Set the market’s real location (0, 0 is in the ocean)';
    }
    if (body.timezone && !isValidTimeZone(body.timezone)) {
      next.timezone = 'Use a time zone name such as America/Chicago';
    }
    if (fee === null) next.boothFeeMinor = 'Enter an amount like 45.00';
    setSaved(false);
    if (!parsed.success || !schedule.ok || Object.keys(next).length > 0) {
      setErrors(next);
      setFormError({ message: 'Check the highlighted fields.', items: [] });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const savedMarket = await apiFetch({
        path: market ? `/v1/markets/${market.id}` : '/v1/markets',
        method: market ? 'PATCH' : 'POST',
        json: parsed.data,
        schema: MarketSchema,
      });
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: marketsQueryKey });
      await queryClient.invalidateQueries({ queryKey: ['insights'] });
      onSaved?.(savedMarket);
    } catch (caught) {
      // The API's field problems (a size naming a market it cannot compare with) mark their field.
      if (caught instanceof ApiError && caught.problem?.errors) {
        setErrors(Object.fromEntries(caught.problem.errors.map((e) => [e.path, e.message])));
      }
      setFormError(describeWriteError(caught));
    } finally {
      setBusy(false);
    }
  };

  const updateRow = (key: number, patch: Partial<ScheduleRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  return (
    <form
      className="form"
      noValidate
      aria-label={market ? `Market ${market.name}` : 'New market'}
      onSubmit={(event) => void submit(event)}
    >
      <FormError message={formError?.message ?? null} items={formError?.items ?? []} />
      <div className="form-grid">
        <Field
          id={`${prefix}-name`}
          label="Name"
          name="name"
          defaultValue={market?.name}
          error={errors.name}
        />
        <Field
          id={`${prefix}-address`}
          label="Address (optional)"
          name="address"
          defaultValue={market?.address ?? ''}
          error={errors.address}
        />
        <LocationLookup
          idPrefix={prefix}
          onPick={(place) => {
            setLocation({
              latitude: String(place.latitude),
              longitude: String(place.longitude),
              timezone: place.timezone,
              countryCode: place.countryCode,
              regionCode: place.regionCode,
            });
            // The filled-in fields no longer need the fix they were marked with.
            const filled = ['latitude', 'longitude', 'timezone', 'countryCode', 'regionCode'];
            setErrors((current) =>
              Object.fromEntries(Object.entries(current).filter(([key]) => !filled.includes(key))),
            );
          }}
        />
        <Field
          id={`${prefix}-latitude`}
          label="Latitude"
          inputMode="decimal"
          {...locationField('latitude')}
          hint="−90 to 90. From a map app: long-press the market, copy the numbers."
          error={errors.latitude}
        />
        <Field
          id={`${prefix}-longitude`}
          label="Longitude"
          inputMode="decimal"
          {...locationField('longitude')}
          hint="−180 to 180 (negative west of Greenwich)."
          error={errors.longitude}
        />
        <Field
          id={`${prefix}-timezone`}
          label="Time zone"
          {...locationField('timezone')}
          hint="IANA name, e.g. America/Chicago."
          error={errors.timezone}
        />
        <Field
          id={`${prefix}-country`}
          label="Country code"
          {...locationField('countryCode')}
          maxLength={2}
          hint="Two letters, e.g. US (for public holidays)."
          error={errors.countryCode}
        />
        <Field
          id={`${prefix}-region`}
          label="State or region (optional)"
          {...locationField('regionCode')}
          hint="e.g. IL"
          error={errors.regionCode}
        />
        <Field
          id={`${prefix}-fee`}
          label="Booth fee ($)"
          name="boothFee"
          inputMode="decimal"
          defaultValue={formatMoneyInput(market?.boothFeeMinor ?? 0)}
          error={errors.boothFeeMinor}
        />
      </div>
      <fieldset className="fieldset">
        <legend>Weekly schedule</legend>
        <p className="muted" id={`${prefix}-schedule-summary`}>
          {formatScheduleSummary(previewSchedule(rows))}
        </p>
        {rows.length === 0 && <p className="muted">No regular days: add one-off dates later.</p>}
        {rows.map((row, index) => (
          <div key={row.key} className="form-grid market-schedule__row">
            <SelectField
              id={`${prefix}-weekday-${row.key}`}
              label="Day"
              value={row.weekday}
              onChange={(event) =>
                updateRow(row.key, withWeekday(row, Number(event.currentTarget.value)))
              }
              error={errors[`schedule.${index}.weekday`]}
            >
              {[0, 1, 2, 3, 4, 5, 6].map((weekday) => (
                <option key={weekday} value={weekday}>
                  {formatWeekday(weekday)}
                </option>
              ))}
            </SelectField>
            <Field
              id={`${prefix}-opens-${row.key}`}
              label="Opens"
              type="time"
              value={row.opensAt}
              onChange={(event) => updateRow(row.key, { opensAt: event.currentTarget.value })}
              error={errors[`schedule.${index}.opensAt`]}
            />
            <Field
              id={`${prefix}-closes-${row.key}`}
              label="Closes"
              type="time"
              value={row.closesAt}
              onChange={(event) => updateRow(row.key, { closesAt: event.currentTarget.value })}
              error={errors[`schedule.${index}.closesAt`]}
            />
            <SelectField
              id={`${prefix}-weeks-${row.key}`}
              label="Which weeks"
              value={weeksChoiceOf(row)}
              onChange={(event) =>
                updateRow(
                  row.key,
                  applyWeeksChoice(
                    row,
                    event.currentTarget.value,
                    toLocalDate(new Date(), market?.timezone ?? browserZone()),
                  ),
                )
              }
              error={errors[`schedule.${index}.weeksOfMonth`]}
            >
              {weeksChoices(row.weeksOfMonth).map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </SelectField>
            {row.everyOtherWeekFrom !== '' && (
              <Field
                id={`${prefix}-every-other-${row.key}`}
                label="Runs on"
                type="date"
                value={row.everyOtherWeekFrom}
                hint="One of its dates; then every two weeks"
                onChange={(event) =>
                  updateRow(row.key, { everyOtherWeekFrom: event.currentTarget.value })
                }
                error={errors[`schedule.${index}.everyOtherWeekFrom`]}
              />
            )}
            <Field
              id={`${prefix}-season-from-${row.key}`}
              label="Season from"
              value={row.seasonFrom}
              placeholder="All year"
              hint="e.g. May 1; blank: all year"
              onChange={(event) => updateRow(row.key, { seasonFrom: event.currentTarget.value })}
              error={errors[`schedule.${index}.seasonFrom`]}
            />
            <Field
              id={`${prefix}-season-to-${row.key}`}
              label="Season to"
              value={row.seasonTo}
              placeholder="All year"
              hint="e.g. Oct 31 (the last day)"
              onChange={(event) => updateRow(row.key, { seasonTo: event.currentTarget.value })}
              error={errors[`schedule.${index}.seasonTo`]}
            />
            <Button
              variant="link"
              onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
            >
              Remove {formatWeekday(row.weekday)}
            </Button>
          </div>
        ))}
        <Button
          variant="secondary"
          onClick={() => setRows((current) => [...current, { key: nextRowKey(), ...NEW_ROW }])}
        >
          Add a market day
        </Button>
      </fieldset>
      {showSize && (
        <fieldset className="fieldset" aria-describedby={`${prefix}-size-hint`}>
          <legend>How big is this market?</legend>
          <p className="muted" id={`${prefix}-size-hint`}>
            Used until this market has its own sales. Not sure: it starts from your smallest market.
          </p>
          <div className="form-grid market-size__row">
            <SelectField
              id={`${prefix}-size-scale`}
              label="Size"
              value={sizeChoice.scale}
              onChange={(event) => setSize({ ...sizeChoice, scale: event.currentTarget.value })}
              error={errors['expectedSize.scale'] ?? errors.expectedSize}
            >
              <option value="">Not sure</option>
              {sizeScaleOptions(sizeChoice.scale).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
            <SelectField
              id={`${prefix}-size-reference`}
              label="Compared with"
              value={sizeChoice.referenceMarketId}
              disabled={sizeChoice.scale === ''}
              onChange={(event) =>
                setSize({ ...sizeChoice, referenceMarketId: event.currentTarget.value })
              }
              error={errors['expectedSize.referenceMarketId']}
            >
              {sizeReferenceOptions(references, sizeChoice.referenceMarketId).map((reference) => (
                <option key={reference.id} value={reference.id}>
                  {reference.name}
                </option>
              ))}
            </SelectField>
          </div>
        </fieldset>
      )}
      {saved && (
        <p className="notice notice--success" role="status">
          Market saved. Its market days for the next 8 weeks are planned.
        </p>
      )}
      <Button type="submit" busy={busy} busyLabel="Saving…">
        {market ? `Save ${market.name}` : 'Add market'}
      </Button>
    </form>
  );
}
