'use client';

import { AlertSettingsPanel } from '../../../../features/alert-settings/alert-settings';
import { PlanLocked } from '../../../../features/billing/plan-lock';
import { useSession } from '../../../../lib/session';

/** Settings > Alerts: where alerts reach the vendor (email, push) and this device's push. */
export default function AlertSettingsPage() {
  const { isOwner } = useSession();
  return (
    <>
      <title>Alerts · MarketPrep</title>
      <div className="page-header">
        <h1>Alerts</h1>
        <p className="page-header__lede">
          Deadline reminders, outlook changes and the all clear: in the app, by email and as push
          alerts on your phone.
        </p>
      </div>
      <PlanLocked feature="alerts" what="Weather and event alerts" />
      <AlertSettingsPanel isOwner={isOwner} />
    </>
  );
}
