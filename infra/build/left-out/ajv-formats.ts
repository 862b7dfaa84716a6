/** Stands in for `ajv-formats` in the Lambda bundles, as infra/build/left-out/ajv.ts for ajv. */
export default function leftOutAjvFormats(): never {
  throw new Error('ajv-formats is left out of the Lambda bundles (ADR 182)');
}
