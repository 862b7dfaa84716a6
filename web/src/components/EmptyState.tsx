import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty" data-testid="empty-state">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** What a screen shows when its API route answers 404: the server does not offer the feature yet. */
export function Unavailable({ feature }: { feature: string }) {
  return (
    <EmptyState title={`${feature} is not available on this server`}>
      This API does not offer {feature.toLowerCase()} yet. The screen lights up as soon as the
      server does.
    </EmptyState>
  );
}
