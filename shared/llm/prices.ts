/**
 * The versioned price table (ADR 011). Platform list prices (`model_prices`, global, read-only to the
 * application) and a tenant's own prices (`tenant_model_prices`, versioned, edited by the tenant's
 * admins) are both looked up by provider and model; the tenant's price wins. The newest version
 * whose `effective_from` is not in the future applies. Dated model names (`gpt-4.1-mini-2025-04-14`,
 * `claude-sonnet-4-20250514`) fall back to their undated family's price.
 */
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { modelPrices, tenantModelPrices } from '../db/schema-gateway';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Platform } from '../platform/platform';

export interface Price {
  provider: string;
  model: string;
  version: number;
  inputPerMtok: number;
  outputPerMtok: number;
  cachedInputPerMtok: number;
  effectiveFrom: Date;
  source: 'platform' | 'tenant' | 'simulator';
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  /** Part of inputTokens served from the provider's prompt cache (the adapters report it so). */
  cachedInputTokens: number;
}

/** Prices have 6 decimals in the database; round half up there too. */
export function roundUsd(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** cost = (input − cached) × in + cached × cachedIn + output × out, prices per million tokens. */
export function costOf(
  price: Pick<Price, 'inputPerMtok' | 'outputPerMtok' | 'cachedInputPerMtok'>,
  t: TokenCounts,
): number {
  const cached = Math.min(Math.max(t.cachedInputTokens, 0), Math.max(t.inputTokens, 0));
  const uncached = Math.max(t.inputTokens, 0) - cached;
  return roundUsd(
    (uncached * price.inputPerMtok +
      cached * price.cachedInputPerMtok +
      Math.max(t.outputTokens, 0) * price.outputPerMtok) /
      1_000_000,
  );
}

/** The names to try for a model, most specific first: the name itself, then without a date suffix. */
export function modelCandidates(model: string): string[] {
  const out = [model];
  const undated = model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '').replace(/-latest$/, '');
  if (undated !== model) out.push(undated);
  return out;
}

/** The simulator is free: a constant price, no lookup. */
export const SIMULATOR_PRICE = (model: string): Price => ({
  provider: 'simulator',
  model,
  version: 0,
  inputPerMtok: 0,
  outputPerMtok: 0,
  cachedInputPerMtok: 0,
  effectiveFrom: new Date(0),
  source: 'simulator',
});

/** The price for one call, or undefined for an unpriced model (metered in tokens, flagged). */
export async function findPrice(
  tx: Tx,
  tenantId: string,
  provider: string,
  model: string,
  at: Date,
): Promise<Price | undefined> {
  if (provider === 'simulator') return SIMULATOR_PRICE(model);
  for (const candidate of modelCandidates(model)) {
    const [own] = await tx
      .select()
      .from(tenantModelPrices)
      .where(
        and(
          eq(tenantModelPrices.tenantId, tenantId),
          eq(tenantModelPrices.provider, provider),
          eq(tenantModelPrices.model, candidate),
          lte(tenantModelPrices.effectiveFrom, at),
        ),
      )
      .orderBy(desc(tenantModelPrices.effectiveFrom), desc(tenantModelPrices.version))
      .limit(1);
    if (own) return { ...own, source: 'tenant' };
    const [list] = await tx
      .select()
      .from(modelPrices)
      .where(
        and(
          eq(modelPrices.provider, provider),
          eq(modelPrices.model, candidate),
          lte(modelPrices.effectiveFrom, at),
        ),
      )
      .orderBy(desc(modelPrices.effectiveFrom), desc(modelPrices.version))
      .limit(1);
    if (list) return { ...list, source: 'platform' };
  }
  return undefined;
}

export interface PriceView {
  provider: string;
  model: string;
  version: number;
  inputPerMtok: number;
  outputPerMtok: number;
  cachedInputPerMtok: number;
  effectiveFrom: string;
  source: 'platform' | 'tenant';
  note?: string;
}

/** Every priced model as it applies now to this tenant (tenant prices shadow platform prices). */
export async function listPrices(tx: Tx, tenantId: string, at: Date): Promise<PriceView[]> {
  const platform = await tx
    .select()
    .from(modelPrices)
    .where(lte(modelPrices.effectiveFrom, at))
    .orderBy(
      modelPrices.provider,
      modelPrices.model,
      desc(modelPrices.effectiveFrom),
      desc(modelPrices.version),
    );
  const own = await tx
    .select()
    .from(tenantModelPrices)
    .where(and(eq(tenantModelPrices.tenantId, tenantId), lte(tenantModelPrices.effectiveFrom, at)))
    .orderBy(
      tenantModelPrices.provider,
      tenantModelPrices.model,
      desc(tenantModelPrices.effectiveFrom),
      desc(tenantModelPrices.version),
    );
  const current = new Map<string, PriceView>();
  const view = (r: (typeof platform)[number], source: 'platform' | 'tenant'): PriceView => ({
    provider: r.provider,
    model: r.model,
    version: r.version,
    inputPerMtok: Number(r.inputPerMtok),
    outputPerMtok: Number(r.outputPerMtok),
    cachedInputPerMtok: Number(r.cachedInputPerMtok),
    effectiveFrom: r.effectiveFrom.toISOString(),
    source,
    ...(r.note ? { note: r.note } : {}),
  });
  for (const r of platform)
    if (!current.has(`${r.provider}:${r.model}`))
      current.set(`${r.provider}:${r.model}`, view(r, 'platform'));
  const seenOwn = new Set<string>();
  for (const r of own) {
    const k = `${r.provider}:${r.model}`;
    if (seenOwn.has(k)) continue;
    seenOwn.add(k);
    current.set(k, view(r, 'tenant'));
  }
  return [...current.values()].sort((a, b) =>
    `${a.provider}:${a.model}`.localeCompare(`${b.provider}:${b.model}`),
  );
}

export interface PriceInput {
  inputPerMtok: number;
  outputPerMtok: number;
  cachedInputPerMtok?: number;
  effectiveFrom?: string;
  note?: string;
}

/** A new version of this tenant's price for a model (old versions stay: past usage keeps its price). */
export async function putTenantPrice(
  tx: Tx,
  tenantId: string,
  actor: string,
  provider: string,
  model: string,
  input: PriceInput,
  now: Date,
): Promise<PriceView> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`price:${tenantId}:${provider}:${model}`}))`,
  );
  const [last] = await tx
    .select({ version: tenantModelPrices.version })
    .from(tenantModelPrices)
    .where(
      and(
        eq(tenantModelPrices.tenantId, tenantId),
        eq(tenantModelPrices.provider, provider),
        eq(tenantModelPrices.model, model),
      ),
    )
    .orderBy(desc(tenantModelPrices.version))
    .limit(1);
  const [row] = await tx
    .insert(tenantModelPrices)
    .values({
      tenantId,
      provider,
      model,
      version: (last?.version ?? 0) + 1,
      inputPerMtok: input.inputPerMtok,
      outputPerMtok: input.outputPerMtok,
      cachedInputPerMtok: input.cachedInputPerMtok ?? input.inputPerMtok,
      effectiveFrom: input.effectiveFrom ? new Date(input.effectiveFrom) : now,
      note: input.note ?? null,
      createdBy: actor,
    })
    .returning();
  return {
    provider: row.provider,
    model: row.model,
    version: row.version,
    inputPerMtok: Number(row.inputPerMtok),
    outputPerMtok: Number(row.outputPerMtok),
    cachedInputPerMtok: Number(row.cachedInputPerMtok),
    effectiveFrom: row.effectiveFrom.toISOString(),
    source: 'tenant',
    ...(row.note ? { note: row.note } : {}),
  };
}

/** A tenant's own price for a model (an audited change). */
export async function setTenantPrice(
  platform: Platform,
  auth: AuthContext,
  provider: string,
  model: string,
  input: PriceInput,
) {
  return platform.db.withTenant(auth, async (tx) => {
    const actor = actorOf(auth);
    const price = await putTenantPrice(
      tx,
      auth.tenantId,
      actor,
      provider,
      model,
      input,
      new Date(platform.now()),
    );
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor,
      action: 'price.set',
      target: `price:${provider}:${model}`,
      data: { ...price },
    });
    return price;
  });
}
