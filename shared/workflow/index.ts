export * from './model';
export {
  templateReferences,
  renderTemplate,
  resolveReference,
  type TemplateRef,
  type TemplateContext,
} from './template';
export {
  validateWorkflow,
  assertValidWorkflow,
  validateRunInput,
  topologicalOrder,
  type WorkflowValidationContext,
} from './validate';
export { planNext, type Plan } from './plan';
