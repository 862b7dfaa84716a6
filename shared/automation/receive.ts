/**
 * One webhook delivery, from raw bytes to a started run: find the trigger's tenant through the
 * narrow SECURITY DEFINER door, verify the HMAC over the exact bytes, deduplicate on the delivery
 * id, match the rules, map the payload, claim the PR head SHA, start the run, record the outcome.
 * Ignored and duplicate deliveries answer 202 (the sender must not retry them); bad ones a 4xx.
 */
import { eq, sql } from 'drizzle-orm';
import type { TriggerRules } from '../api/contracts/triggers';
import type { AuthContext } from '../auth/context';
import { rowsOf } from '../db/client';
import { triggers } from '../db/schema-automation';
import {
  BudgetExceeded,
  NotFound,
  ReplayedDelivery,
  StaleDelivery,
  Unauthorized,
  ValidationError,
} from '../errors';
import type { Platform } from '../platform/platform';
import { startRun } from '../runs/start-run';
import { answerFromComment } from './comment-approvals';
import { approvalCommand, newComment, subjectOf } from './comment-commands';
import { claimBody, claimDelivery, claimHead, REDELIVERY_WINDOW_MS } from './dedup';
import { recordDelivery } from './deliveries';
import { mapInput } from './input-mapping';
import { eventName, matchRules, type Payload, pullRequestHead, type Source } from './rules';
import { webhookSecret } from './secrets';
import { verifySignature, verifyToken } from './signatures';
import { createHash } from 'node:crypto';

/** The header Jira Automation rules set to the trigger's secret (they cannot compute an HMAC). */
export const JIRA_TOKEN_HEADER = 'x-hishamos-token';

export interface WebhookRequest {
  source: Source;
  triggerId: string;
  raw: string;
  json: unknown;
  headers: Record<string, string | undefined>;
}

export interface WebhookAck {
  outcome: 'started' | 'ignored' | 'duplicate' | 'answered' | 'refused';
  deliveryId: string | null;
  runId?: string;
  reason?: string;
}

const FUTURE_TOLERANCE_MS = 5 * 60_000;

const HEADERS = {
  github: {
    signature: 'x-hub-signature-256',
    delivery: 'x-github-delivery',
    event: 'x-github-event',
    algorithms: ['sha256'],
  },
  jira: {
    signature: 'x-hub-signature',
    delivery: 'x-atlassian-webhook-identifier',
    event: undefined,
    algorithms: ['sha256'],
  },
} as const;

/** The system identity a trigger starts runs as: audit shows `trigger:<id>`. */
export function triggerAuth(tenantId: string, triggerId: string): AuthContext {
  return { tenantId, userId: null, role: 'dev', via: 'token', actor: `trigger:${triggerId}` };
}

export async function receiveWebhook(p: Platform, req: WebhookRequest): Promise<WebhookAck> {
  const h = HEADERS[req.source];
  const found = rowsOf<{ tenant_id: string; source: string; enabled: boolean }>(
    await p.db.withoutTenant((tx) =>
      tx.execute(
        sql`select tenant_id, source, enabled from automation_find_trigger(${req.triggerId}::uuid)`,
      ),
    ),
  )[0];
  // The same answer for "no such trigger" and "a trigger of the other source": ids are not probed.
  if (!found || found.source !== req.source)
    throw new NotFound(`no ${req.source} trigger ${req.triggerId}`);
  const tenantId = found.tenant_id;
  // Jira Automation sends no identifier: the body's hash makes a retried rule a duplicate.
  const deliveryId =
    req.headers[h.delivery]?.slice(0, 200) ??
    (req.source === 'jira' && req.headers[JIRA_TOKEN_HEADER]
      ? `body-${createHash('sha256').update(req.raw).digest('hex').slice(0, 40)}`
      : null);
  const payload = (
    req.json && typeof req.json === 'object' && !Array.isArray(req.json) ? req.json : undefined
  ) as Payload | undefined;
  const event = payload
    ? eventName(req.source, h.event ? req.headers[h.event] : undefined, payload)
    : null;
  const base = { tenantId, triggerId: req.triggerId, deliveryId, event };
  const reject = async (error: Error) => {
    await recordDelivery(p, { ...base, outcome: 'rejected', reason: error.message });
    return error;
  };

  const secret = await webhookSecret(p, tenantId, req.triggerId);
  const token =
    req.source === 'jira' && !req.headers[h.signature] ? req.headers[JIRA_TOKEN_HEADER] : undefined;
  const check = !secret
    ? { ok: false as const, reason: 'trigger has no webhook secret' }
    : token !== undefined
      ? verifyToken(secret, token)
      : verifySignature(secret, req.raw, req.headers[h.signature], h.algorithms);
  if (!check.ok)
    throw await reject(new Unauthorized(`webhook signature rejected: ${check.reason}`));
  if (!payload)
    throw await reject(
      new ValidationError('webhook body must be a JSON object', [
        { path: 'body', message: 'expected a JSON object' },
      ]),
    );
  if (!deliveryId)
    throw await reject(
      new ValidationError(`missing ${h.delivery} header`, [
        { path: `headers.${h.delivery}`, message: 'required' },
      ]),
    );
  if (req.source === 'jira' && typeof payload.timestamp === 'number') {
    const age = p.now() - payload.timestamp;
    if (age > REDELIVERY_WINDOW_MS || age < -FUTURE_TOLERANCE_MS)
      throw await reject(
        new StaleDelivery(
          `delivery ${deliveryId} is stamped ${new Date(payload.timestamp).toISOString()}, outside the accepted window`,
        ),
      );
  }

  const claim = await claimDelivery(p, req.triggerId, deliveryId, req.raw);
  if (claim.kind === 'replayed') throw await reject(new ReplayedDelivery(claim.reason));
  if (claim.kind === 'stale') throw await reject(new StaleDelivery(claim.reason));
  if (claim.kind === 'duplicate') {
    await recordDelivery(p, {
      ...base,
      outcome: 'duplicate',
      reason: 'delivery id already received',
    });
    return { outcome: 'duplicate', deliveryId, reason: 'delivery id already received' };
  }

  const body = await claimBody(p, req.triggerId, deliveryId, req.raw);
  if (body.replayOf) {
    await claim.release();
    throw await reject(
      new ReplayedDelivery(
        `this signed body was already received as delivery ${body.replayOf.slice(0, 200)}`,
      ),
    );
  }
  const releases = [claim.release, body.release];
  let ack: WebhookAck;
  try {
    ack = await decide(p, req, payload, event ?? 'unknown', tenantId, deliveryId, releases);
  } catch (error) {
    // Nothing started: free the claims so the sender's retry (or reconciliation) is processed.
    for (const release of releases.reverse())
      await release().catch((e) => p.log.warn('could not release webhook claim', { error: e }));
    throw error;
  }
  // Once a run started, the claims stay even if recording fails: a retry must not start a second run.
  await recordDelivery(p, {
    ...base,
    outcome: ack.outcome,
    reason: ack.reason ?? null,
    runId: ack.runId ?? null,
    // What the run is about: a later /approve comment on the same PR or issue finds it by this.
    subject: ack.outcome === 'started' ? (subjectOf(req.source, payload) ?? null) : null,
  });
  return ack;
}

async function decide(
  p: Platform,
  req: WebhookRequest,
  payload: Payload,
  event: string,
  tenantId: string,
  deliveryId: string,
  releases: (() => Promise<void>)[],
): Promise<WebhookAck> {
  const ignored = (reason: string): WebhookAck => ({ outcome: 'ignored', deliveryId, reason });
  if (req.source === 'github' && event === 'ping') return ignored('ping: the webhook is connected');
  const [trigger] = await p.db.withTenant({ tenantId }, (tx) =>
    tx.select().from(triggers).where(eq(triggers.id, req.triggerId)),
  );
  if (!trigger) throw new NotFound(`trigger ${req.triggerId} not found`);
  if (!trigger.enabled) return ignored('trigger is disabled');
  // `/approve` and `/reject` comments answer this trigger's waiting runs; they never start one.
  const comment = newComment(req.source, event, payload);
  const command = comment && approvalCommand(comment.body);
  if (comment && command) {
    const answer = await answerFromComment(p, {
      tenantId,
      trigger,
      source: req.source,
      comment,
      command,
    });
    return { ...answer, deliveryId };
  }
  const match = matchRules(req.source, event, payload, trigger.rules as TriggerRules);
  if (!match.matched) return ignored(match.reason);
  const input = mapInput(
    req.source,
    event,
    payload,
    trigger.inputMapping as Record<string, string>,
  );

  const head = req.source === 'github' ? pullRequestHead(payload) : undefined;
  if (head) {
    const held = await claimHead(p, req.triggerId, head, deliveryId);
    if (!held.claimed)
      return {
        outcome: 'duplicate',
        deliveryId,
        reason: `head ${head.sha.slice(0, 12)} of ${head.repository}#${head.number} was already reviewed (delivery ${held.holder})`,
      };
    releases.push(held.release);
  }
  try {
    const started = await startRun(
      p,
      triggerAuth(tenantId, req.triggerId),
      trigger.workflowId,
      input,
    );
    return { outcome: 'started', deliveryId, runId: started.runId };
  } catch (error) {
    // A workflow that cannot take this input is the trigger's configuration, not the sender's fault:
    // answer 202 with the reason, and leave the head SHA free for a run once the trigger is fixed.
    if (
      error instanceof ValidationError ||
      error instanceof NotFound ||
      error instanceof BudgetExceeded
    ) {
      if (head) await releases.pop()?.();
      return ignored(`run not started: ${error.message}`);
    }
    throw error;
  }
}
