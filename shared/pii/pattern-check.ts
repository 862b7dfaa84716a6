/**
 * Tenant patterns run over every prompt, so a pattern with catastrophic backtracking would be a
 * denial of service. scslre (the analysis behind eslint-plugin-regexp's super-linear check) finds
 * super-linear backtracking statically; such a pattern is refused when the policy is saved.
 */
import { analyse } from 'scslre';

/** Why the pattern may take super-linear time, or null if it runs in linear time. */
export function superLinear(pattern: string): string | null {
  // Prompts are arbitrary text, so a rejecting suffix can always be found.
  const report = analyse({ source: pattern, flags: 'u' }, { assumeRejectingSuffix: true });
  return report.reports.length
    ? 'may backtrack super-linearly (quantifiers that can match the same characters in more than one way)'
    : null;
}
