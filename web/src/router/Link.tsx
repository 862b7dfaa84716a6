import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { useLocation } from './useLocation';

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  children: ReactNode;
  /** Mark as current when the location starts with `to` (navigation links). */
  nav?: boolean;
}

export function Link({ to, nav, children, ...rest }: LinkProps) {
  const location = useLocation();
  const current = nav && (location.path === to || location.path.startsWith(`${to}/`));
  return (
    <a href={`#${to}`} aria-current={current ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
