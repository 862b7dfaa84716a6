/**
 * Every tool, registered: RunToolStep takes tools through this module. Validating a workflow needs
 * only their names (`./names`, ADR 185), so it does not load them.
 */
import './github';
import './jira';

export {
  getTool,
  registerTool,
  type Tool,
  type ToolContext,
  type ToolRunInfo,
} from './registry';
