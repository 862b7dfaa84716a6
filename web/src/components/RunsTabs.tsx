import { Tabs } from './Tabs';

const TABS = [
  { to: '/runs', label: 'Runs' },
  { to: '/batches', label: 'Batches' },
] as const;

/** Batches live under Runs (a tab, not a nav item: the top bar has no room for another). */
export function RunsTabs({ current }: { current: '/runs' | '/batches' }) {
  return <Tabs items={TABS} current={current} label="Runs and batches" />;
}
