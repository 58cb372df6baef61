import { Gauge, type Registry } from 'prom-client';
import { BILLING_STATES } from '@marketprep/planning';
import type { BillingService } from './billing.service';

/**
 * `marketprep_billing_businesses{state}`: businesses per billing state (trialing, active,
 * past_due, ...), read at scrape time from `monitoring.billing_overview()`. Only with billing on.
 */
export function registerBillingMetrics(registry: Registry, billing: BillingService): void {
  if (!billing.configured) return;
  new Gauge({
    name: 'marketprep_billing_businesses',
    help: 'Businesses by billing state (trialing, trial_expired, active, past_due, canceled, ...)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await billing.countByState();
      for (const state of BILLING_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
}
