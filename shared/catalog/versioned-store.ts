/**
 * Agents and workflows share one shape: a head row (id, slug, current version, soft delete) and
 * immutable version rows holding the spec. Every change writes a new version; runs pin versions.
 */
import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { agentVersions, agents, workflowVersions, workflows } from '../db/schema';
import { Conflict, NotFound, ValidationError } from '../errors';
import { invalidCursor } from '../db/cursor';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';

type Head = typeof agents;
type Versions = typeof agentVersions;

export interface Stored<S> {
  id: string;
  slug: string;
  version: number;
  /** The version runs use when they name none (ADR 120). */
  publishedVersion: number;
  spec: S;
  createdAt: string;
  updatedAt: string;
}

export interface VersionedStore<S> {
  list(
    tx: Tx,
    tenantId: string,
    page: { limit: number; cursor?: string; published?: boolean },
  ): Promise<{ items: Stored<S>[]; nextCursor?: string }>;
  /** The latest saved version (what the editor changes), or the named one. */
  get(tx: Tx, tenantId: string, idOrSlug: string, version?: number): Promise<Stored<S>>;
  /** The named version, else the published one: what runs, triggers and schedules use. */
  getPublished(tx: Tx, tenantId: string, idOrSlug: string, version?: number): Promise<Stored<S>>;
  /**
   * For each `ref` (id or slug) its id and the version a run pins: the named one if it was saved,
   * else the published one. One read (two when a version is named); a ref that is not there, or
   * whose named version is not, is left out.
   */
  versionsToRun(
    tx: Tx,
    tenantId: string,
    refs: readonly { ref: string; version?: number }[],
  ): Promise<Map<string, { id: string; version: number }>>;
  /** Makes a saved version the published one (a rollback when older); a 400 naming `version` if unsaved. */
  publish(tx: Tx, tenantId: string, idOrSlug: string, version: number): Promise<Stored<S>>;
  create(
    tx: Tx,
    tenantId: string,
    slug: string,
    spec: S,
    userId: string | null,
  ): Promise<Stored<S>>;
  update(
    tx: Tx,
    tenantId: string,
    idOrSlug: string,
    spec: S,
    userId: string | null,
  ): Promise<Stored<S>>;
  remove(tx: Tx, tenantId: string, idOrSlug: string): Promise<Stored<S>>;
  versions(
    tx: Tx,
    tenantId: string,
    idOrSlug: string,
    page?: { limit: number; cursor?: string },
  ): Promise<{
    items: { version: number; spec: S; createdAt: string; createdBy: string | null }[];
    nextCursor?: string;
  }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function store<S>(
  kind: string,
  head: Head,
  versions: Versions,
  fkCol: Versions['agentId'],
  fkKey: 'agentId' | 'workflowId',
): VersionedStore<S> {
  const byIdOrSlug = (tenantId: string, idOrSlug: string) =>
    and(
      eq(head.tenantId, tenantId),
      isNull(head.deletedAt),
      UUID.test(idOrSlug) ? eq(head.id, idOrSlug) : eq(head.slug, idOrSlug),
    );

  const load = async (
    tx: Tx,
    where: SQL | undefined,
    version?: number | 'published',
  ): Promise<Stored<S>> => {
    const [row] = await tx
      .select({ h: head, v: versions })
      .from(head)
      .innerJoin(
        versions,
        and(
          eq(fkCol, head.id),
          version === 'published'
            ? eq(versions.version, head.publishedVersion)
            : version
              ? eq(versions.version, version)
              : eq(versions.version, head.currentVersion),
        ),
      )
      .where(where);
    if (!row) throw new NotFound(`${kind} not found`);
    return shape(row.h, row.v);
  };

  const shape = (h: Head['$inferSelect'], v: Versions['$inferSelect']): Stored<S> => ({
    id: h.id,
    slug: h.slug,
    version: v.version,
    publishedVersion: h.publishedVersion,
    spec: v.spec as S,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  });

  return {
    async list(tx, tenantId, page) {
      const key = { at: head.createdAt, id: head.id };
      const rows = await tx
        .select({ h: head, v: versions })
        .from(head)
        .innerJoin(
          versions,
          and(
            eq(fkCol, head.id),
            eq(versions.version, page.published ? head.publishedVersion : head.currentVersion),
          ),
        )
        .where(
          and(eq(head.tenantId, tenantId), isNull(head.deletedAt), afterCursor(key, page.cursor)),
        )
        .orderBy(...keysetOrder(key))
        .limit(page.limit + 1);
      const kept = pageOf(rows, page.limit, (r) => ({ at: r.h.createdAt, id: r.h.id }));
      const items = kept.rows.map((r) => shape(r.h, r.v));
      return { items, ...(kept.nextCursor ? { nextCursor: kept.nextCursor } : {}) };
    },
    get: (tx, tenantId, idOrSlug, version) => load(tx, byIdOrSlug(tenantId, idOrSlug), version),
    getPublished: (tx, tenantId, idOrSlug, version) =>
      load(tx, byIdOrSlug(tenantId, idOrSlug), version ?? 'published'),
    async versionsToRun(tx, tenantId, refs) {
      const found = new Map<string, { id: string; version: number }>();
      if (!refs.length) return found;
      const ids = refs.map((r) => r.ref).filter((ref) => UUID.test(ref));
      const slugs = refs.map((r) => r.ref).filter((ref) => !UUID.test(ref));
      const heads = await tx
        .select({ id: head.id, slug: head.slug, published: head.publishedVersion })
        .from(head)
        .where(
          and(
            eq(head.tenantId, tenantId),
            isNull(head.deletedAt),
            or(
              ids.length ? inArray(head.id, ids) : undefined,
              slugs.length ? inArray(head.slug, slugs) : undefined,
            ),
          ),
        );
      const headOf = (ref: string) => heads.find((h) => (UUID.test(ref) ? h.id : h.slug) === ref);
      const named = refs.flatMap((r) => {
        const h = headOf(r.ref);
        return h && r.version !== undefined ? [{ id: h.id, version: r.version }] : [];
      });
      const saved = named.length
        ? await tx
            .select({ id: fkCol, version: versions.version })
            .from(versions)
            .where(or(...named.map((n) => and(eq(fkCol, n.id), eq(versions.version, n.version)))))
        : [];
      for (const { ref, version } of refs) {
        const h = headOf(ref);
        if (!h) continue;
        if (version === undefined) found.set(ref, { id: h.id, version: h.published });
        else if (saved.some((v) => v.id === h.id && v.version === version))
          found.set(ref, { id: h.id, version });
      }
      return found;
    },
    async publish(tx, tenantId, idOrSlug, version) {
      const current = await load(tx, byIdOrSlug(tenantId, idOrSlug));
      const chosen = await load(tx, eq(head.id, current.id), version).catch((e) => {
        throw e instanceof NotFound
          ? new ValidationError(`${kind} "${current.slug}" has no version ${version}`, [
              { path: 'version', message: `no saved version ${version}` },
            ])
          : e;
      });
      await tx
        .update(head)
        .set({ publishedVersion: version, updatedAt: sql`now()` })
        .where(eq(head.id, current.id));
      return { ...chosen, publishedVersion: version };
    },
    async create(tx, tenantId, slug, spec, userId) {
      // ON CONFLICT instead of catching the unique violation: on the Data API an error ends the
      // whole transaction (no savepoint survives it), and a taken slug is a Conflict, not a 500.
      const [created] = await tx
        .insert(head)
        .values({ tenantId, slug, currentVersion: 1, publishedVersion: 1 })
        .onConflictDoNothing()
        .returning();
      if (!created) throw new Conflict(`${kind} slug "${slug}" is already taken`);
      await tx
        .insert(versions)
        .values({ tenantId, [fkKey]: created.id, version: 1, spec, createdBy: userId } as never);
      return load(tx, eq(head.id, created.id));
    },
    async update(tx, tenantId, idOrSlug, spec, userId) {
      const current = await load(tx, byIdOrSlug(tenantId, idOrSlug));
      const next = current.version + 1;
      await tx
        .insert(versions)
        .values({ tenantId, [fkKey]: current.id, version: next, spec, createdBy: userId } as never);
      await tx
        .update(head)
        // Saving publishes the new version (ADR 120); publish() moves it back for a rollback.
        .set({ currentVersion: next, publishedVersion: next, updatedAt: sql`now()` })
        .where(eq(head.id, current.id));
      return load(tx, eq(head.id, current.id));
    },
    async remove(tx, tenantId, idOrSlug) {
      const current = await load(tx, byIdOrSlug(tenantId, idOrSlug));
      await tx.update(head).set({ deletedAt: sql`now()` }).where(eq(head.id, current.id));
      return current;
    },
    async versions(tx, tenantId, idOrSlug, page = { limit: 50 }) {
      const current = await load(tx, byIdOrSlug(tenantId, idOrSlug));
      // The cursor is the last version number seen; newest first.
      const before = page.cursor === undefined ? undefined : Number(page.cursor);
      if (before !== undefined && !(Number.isSafeInteger(before) && before > 0))
        throw invalidCursor();
      const rows = await tx
        .select()
        .from(versions)
        .where(and(eq(fkCol, current.id), before ? lt(versions.version, before) : undefined))
        .orderBy(desc(versions.version))
        .limit(page.limit + 1);
      const items = rows.slice(0, page.limit).map((v) => ({
        version: v.version,
        spec: v.spec as S,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
      }));
      const last = rows.length > page.limit ? items[items.length - 1] : undefined;
      return { items, ...(last ? { nextCursor: String(last.version) } : {}) };
    },
  };
}

export const agentStore = <S>() =>
  store<S>('agent', agents, agentVersions, agentVersions.agentId, 'agentId');
export const workflowStore = <S>() =>
  store<S>(
    'workflow',
    workflows as unknown as Head,
    workflowVersions as unknown as Versions,
    workflowVersions.workflowId as unknown as Versions['agentId'],
    'workflowId',
  );
