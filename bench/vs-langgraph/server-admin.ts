import pg from 'pg';

/** One statement on its own connection to the server at `url` (create or drop a bench database). */
export async function adminStatement(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}
