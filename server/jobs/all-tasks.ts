// Every task module, imported so that a worker process registers them all. Add yours here.
import { registeredTasks, type TaskDefinition } from "./registry";
import "../deletion/purge-task";
import "../audit/tasks";
import "../signing-keys/retirement";
import "../usage/storage";

export function allTasks(): readonly TaskDefinition[] {
  return registeredTasks();
}
