import {
  ALERT_CATEGORIES as DB_CATEGORIES,
  DEFAULT_ALERT_ROUTES,
  categorizeAlertKind,
  channelsForKind,
  isOutlookChangeSignificant,
} from '@marketprep/db';
import { ALERT_CATEGORIES, AlertRoutesSchema, isAllowedPushEndpoint } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';

describe('alert routing rules', () => {
  it('names the same categories in contracts and db, and the defaults fit the contract', () => {
    expect([...DB_CATEGORIES]).toEqual([...ALERT_CATEGORIES]);
    expect(AlertRoutesSchema.parse(DEFAULT_ALERT_ROUTES)).toEqual(DEFAULT_ALERT_ROUTES);
  });

  it('puts every existing and planned kind in its category', () => {
    expect(categorizeAlertKind('plan.deadline_reminder')).toBe('deadline_reminder');
    expect(categorizeAlertKind('plan.outlook_change')).toBe('outlook_change');
    expect(categorizeAlertKind('plan.all_clear')).toBe('all_clear');
    expect(categorizeAlertKind('weather.heavy_rain')).toBe('weather');
    expect(categorizeAlertKind('event.big')).toBe('weather');
    expect(categorizeAlertKind('sync.failing')).toBe('sync');
    expect(categorizeAlertKind('billing.trial_ending')).toBe('account');
    expect(categorizeAlertKind('data_export.ready')).toBe('account');
    // The week plan's kinds (docs/week-plan.md).
    expect(categorizeAlertKind('week_plan.deadline_reminder')).toBe('deadline_reminder');
    expect(categorizeAlertKind('week_plan.outlook_changed')).toBe('outlook_change');
    expect(categorizeAlertKind('week_plan.all_clear')).toBe('all_clear');
    expect(categorizeAlertKind('alerts.test')).toBeNull();
    expect(categorizeAlertKind('outlook.changed')).toBe('outlook_change');
  });

  it('routes by the settings; account notices never get a second email', () => {
    expect(channelsForKind('plan.deadline_reminder', DEFAULT_ALERT_ROUTES)).toEqual([
      'email',
      'push',
    ]);
    expect(channelsForKind('plan.all_clear', DEFAULT_ALERT_ROUTES)).toEqual(['push']);
    expect(channelsForKind('sync.failing', DEFAULT_ALERT_ROUTES)).toEqual(['email']);
    const everything = Object.fromEntries(
      Object.keys(DEFAULT_ALERT_ROUTES).map((k) => [k, { email: true, push: true }]),
    ) as typeof DEFAULT_ALERT_ROUTES;
    expect(channelsForKind('billing.payment_failed', everything)).toEqual(['push']);
    const nothing = Object.fromEntries(
      Object.keys(DEFAULT_ALERT_ROUTES).map((k) => [k, { email: false, push: false }]),
    ) as typeof DEFAULT_ALERT_ROUTES;
    expect(channelsForKind('plan.deadline_reminder', nothing)).toEqual([]);
    expect(channelsForKind('something.new', everything)).toEqual([]);
  });

  it('an outlook change counts past the threshold, not at it', () => {
    const pct = { mode: 'percent', value: 20 } as const;
    expect(isOutlookChangeSignificant({ before: 40, after: 48 }, pct)).toBe(false); // exactly 20%
    expect(isOutlookChangeSignificant({ before: 40, after: 49 }, pct)).toBe(true);
    expect(isOutlookChangeSignificant({ before: 40, after: 31 }, pct)).toBe(true); // -22.5%
    expect(isOutlookChangeSignificant({ before: 0, after: 1 }, pct)).toBe(true);
    expect(isOutlookChangeSignificant({ before: 0, after: 0 }, pct)).toBe(false);
    const units = { mode: 'units', value: 6 } as const;
    expect(isOutlookChangeSignificant({ before: 100, after: 106 }, units)).toBe(false);
    expect(isOutlookChangeSignificant({ before: 100, after: 93 }, units)).toBe(true);
    expect(isOutlookChangeSignificant({ before: 3, after: 9.5 }, units)).toBe(true);
  });

  it('allows push endpoints on push services only (loopback outside production)', () => {
    const prod = { allowLoopback: false };
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', prod)).toBe(true);
    expect(
      isAllowedPushEndpoint('https://updates.push.services.mozilla.com/wpush/v2/x', prod),
    ).toBe(true);
    expect(isAllowedPushEndpoint('https://web.push.apple.com/QG', prod)).toBe(true);
    expect(isAllowedPushEndpoint('https://wns2-par02p.notify.windows.com/w/?token=1', prod)).toBe(
      true,
    );
    expect(isAllowedPushEndpoint('http://fcm.googleapis.com/fcm/send/abc', prod)).toBe(false);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com.evil.example/x', prod)).toBe(false);
    expect(isAllowedPushEndpoint('https://evilfcm.googleapis.com.example/x', prod)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1:9999/push/1', prod)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1:9999/push/1', { allowLoopback: true })).toBe(
      true,
    );
    expect(isAllowedPushEndpoint('not a url', { allowLoopback: true })).toBe(false);
  });
});
