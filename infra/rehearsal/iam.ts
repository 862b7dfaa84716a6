/**
 * IAM policy evaluation for the rehearsal: an explicit Deny wins, else an Allow whose Action and
 * Resource both match (`*` and `?` wildcards; actions case-insensitive), else the implicit deny.
 * Conditions are not evaluated: the templates use none on function roles (a statement with a
 * Condition is treated as not matching, so the check can only be stricter than AWS).
 */

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny' | string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

export interface IamRequest {
  /** e.g. `s3:GetObject` */
  readonly action: string;
  /** The ARN the call acts on. */
  readonly resource: string;
}

export interface Denial extends IamRequest {
  readonly principal: string;
}

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

function glob(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

const matchesAction = (patterns: string[], action: string) =>
  patterns.some((p) => glob(p, 'i').test(action));
const matchesResource = (patterns: string[], resource: string) =>
  patterns.some((p) => glob(p).test(resource));

function applies(s: PolicyStatement, req: IamRequest): boolean {
  if (s.Condition !== undefined) return s.Effect === 'Deny';
  const action =
    s.NotAction !== undefined
      ? !matchesAction(list(s.NotAction), req.action)
      : matchesAction(list(s.Action), req.action);
  return action && matchesResource(list(s.Resource), req.resource);
}

/** True when the statements allow the request. */
export function isAllowed(statements: readonly PolicyStatement[], req: IamRequest): boolean {
  if (statements.some((s) => s.Effect === 'Deny' && applies(s, req))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s, req));
}

/** The message AWS gives, so a bundle's error handling sees the same text. */
export function accessDeniedMessage(principal: string, req: IamRequest): string {
  return `User: arn:aws:sts::123456789012:assumed-role/${principal}/${principal} is not authorized to perform: ${req.action} on resource: ${req.resource} because no identity-based policy allows the ${req.action} action`;
}

/** A refused call, as the stand-ins answer it. */
export class AccessDenied extends Error {
  override readonly name = 'AccessDeniedException';
}

/**
 * Who holds which access key: each function's key names it and carries its role's statements.
 * Every stand-in asks `check` before serving a call; refusals are recorded for the story's report.
 */
export class Principals {
  private readonly byKey = new Map<string, { principal: string; statements: PolicyStatement[] }>();
  readonly denials: Denial[] = [];
  /** Calls allowed, by `principal action`. */
  readonly calls = new Map<string, number>();
  /** Every distinct (principal, action, resource) allowed: who used which secret, bucket, machine. */
  readonly used = new Set<string>();

  static readonly SECRET_KEY = 'rehearsal-secret-access-key';

  static accessKeyOf(principal: string): string {
    return `RHRSL${principal}`;
  }

  add(principal: string, statements: PolicyStatement[]): string {
    const key = Principals.accessKeyOf(principal);
    this.byKey.set(key, { principal, statements });
    return key;
  }

  /** The principals that made `action` on a resource matching `resource` (wildcards allowed). */
  usersOf(action: string, resource: string): string[] {
    const re = glob(resource);
    const out = new Set<string>();
    for (const u of this.used) {
      const [principal, a, r] = u.split(' ');
      if (a === action && re.test(r)) out.add(principal);
    }
    return [...out].sort();
  }

  has(accessKeyId: string): boolean {
    return this.byKey.has(accessKeyId);
  }

  /** Throws AccessDenied (and records it) unless the key's policy allows every request. */
  check(accessKeyId: string | undefined, ...requests: IamRequest[]): string {
    const who = accessKeyId ? this.byKey.get(accessKeyId) : undefined;
    if (!who) throw new AccessDenied(`The security token included in the request is invalid`);
    for (const req of requests) {
      if (!isAllowed(who.statements, req)) {
        this.denials.push({ principal: who.principal, ...req });
        throw new AccessDenied(accessDeniedMessage(who.principal, req));
      }
      const k = `${who.principal} ${req.action}`;
      this.calls.set(k, (this.calls.get(k) ?? 0) + 1);
      this.used.add(`${k} ${req.resource}`);
    }
    return who.principal;
  }
}

/** The access key id of a SigV4-signed request (header or presigned query). */
export function accessKeyOfRequest(
  headers: Record<string, string | string[] | undefined>,
  url: string,
): string | undefined {
  const auth = String(headers.authorization ?? '');
  const m = /Credential=([^/\s,]+)\//.exec(auth);
  if (m) return m[1];
  const q = new URL(url, 'http://x').searchParams.get('X-Amz-Credential');
  return q ? q.split('/')[0] : undefined;
}
