/**
 * Generates the console's API types from the OpenAPI document (shared/api/openapi.ts) with
 * openapi-typescript, into `web/src/api/generated/openapi.ts` (committed; ADR 141). The unit test
 * `test/unit/api/generated-client.test.ts` regenerates it in memory and fails when the committed
 * file is stale. CLI: `npm run build:api-client`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../../shared/api/openapi';

export const GENERATED_CLIENT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../web/src/api/generated/openapi.ts',
);

const HEADER = `/**
 * Generated from the OpenAPI document by \`npm run build:api-client\` (infra/build/api-client.ts).
 * Do not edit: a unit test fails when this file differs from what the route table generates.
 */
`;

export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(openApiDocument()), {
    alphabetize: true,
    // A field with a default may be left out of a request; answers list it as required anyway.
    defaultNonNullable: false,
  });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(GENERATED_CLIENT, await generateApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), GENERATED_CLIENT)}`);
}
