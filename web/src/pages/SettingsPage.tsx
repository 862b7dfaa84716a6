import { PageHeader } from '../components/PageHeader';
import { ApiKeysPanel } from '../components/settings/ApiKeysPanel';
import { MembersPanel } from '../components/settings/MembersPanel';
import { ProvidersPanel } from '../components/settings/ProvidersPanel';
import { SecurityPanel } from '../components/settings/SecurityPanel';
import { Tabs } from '../components/Tabs';

const TABS = [
  { to: '/settings/providers', label: 'Provider keys' },
  { to: '/settings/api-keys', label: 'API keys' },
  { to: '/settings/members', label: 'Members' },
  { to: '/settings/security', label: 'Security' },
] as const;

export function SettingsPage({ tab }: { tab?: string }) {
  const current = `/settings/${tab ?? 'providers'}`;
  return (
    <>
      <PageHeader title="Settings" />
      <Tabs items={TABS} current={current} label="Settings sections" />
      <div className="tab-panel">
        {current === '/settings/api-keys' ? (
          <ApiKeysPanel />
        ) : current === '/settings/members' ? (
          <MembersPanel />
        ) : current === '/settings/security' ? (
          <SecurityPanel />
        ) : (
          <ProvidersPanel />
        )}
      </div>
    </>
  );
}
