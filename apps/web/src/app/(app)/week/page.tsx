import type { Metadata } from 'next';

import { WeekPlanView } from '../../../features/week-plan/week-plan-view';
import '../../../features/week-plan/week-plan.css';

export const metadata: Metadata = { title: 'This week' };

export default function WeekPlanPage() {
  return <WeekPlanView />;
}
