/**
 * Every tool, registered: import the registry through this module (workflow validation and
 * RunToolStep do) so that a tool name is known wherever workflows are checked or steps run.
 */
import './github';
import './jira';

export { knownTool, TOOL_STEP_NAMES } from './names';
export {
  getTool,
  registerTool,
  type Tool,
  type ToolContext,
  type ToolRunInfo,
} from './registry';
