/**
 * "Did you mean …?" for a mistyped task, subtask or option. Hardhat 3 answers one with its own error
 * (HHE404 / HHE416 / HHE504) and offers no hook on it, so the plugin in suggest-plugin.ts reads the
 * command line when the runtime is created, before Hardhat parses the task, and prints the nearest
 * names on stderr; Hardhat's own error follows. It speaks only when a name is unknown and a known
 * one is close (an edit distance of at most a third of its length, at least 2), so a correct command
 * line is never commented on.
 */
import leven from "leven";

export interface TaskLike {
  id: string[];
  options: ReadonlyMap<string, unknown>;
  subtasks: ReadonlyMap<string, TaskLike>;
}

/** Global options that take a value (the rest are flags): their value is not a task name. */
const GLOBAL_WITH_VALUE = new Set(["network", "config", "build-profile", "verbosity", "gas-stats-json", "init"]);

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function nearest(word: string, names: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = leven(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best || best.distance === 0) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/**
 * The suggestions for `args` (the command line after `hardhat`), given the root tasks and the global
 * options' names (kebab-case, without "--"): one line each, empty when nothing is mistyped.
 */
export function suggestions(
  args: readonly string[],
  rootTasks: ReadonlyMap<string, TaskLike>,
  globalOptions: ReadonlySet<string>,
): string[] {
  if (args.includes("--help") || args.includes("-h")) return [];
  const positionals: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      const name = arg.slice(2).split("=")[0]!;
      options.push(name);
      if (GLOBAL_WITH_VALUE.has(name) && !arg.includes("=")) i++;
      continue;
    }
    positionals.push(arg);
  }
  const out: string[] = [];
  let task: TaskLike | undefined;
  let map = rootTasks;
  for (const word of positionals) {
    const next = map.get(word);
    if (!next) {
      // An unknown name where a task or subtask is expected (a leaf task's positionals are its own).
      if (task && task.subtasks.size === 0) break;
      const guess = nearest(word, map.keys());
      const where = task ? `a subtask of "${task.id.join(" ")}"` : "a task";
      if (guess) out.push(`"${word}" is not ${where}: did you mean "${[...(task?.id ?? []), guess].join(" ")}"?`);
      return out;
    }
    task = next;
    map = next.subtasks;
    if (map.size === 0) break;
  }
  if (!task) return out;
  const known = [...task.options.keys()].map(kebab);
  for (const name of options) {
    if (globalOptions.has(name) || known.includes(name)) continue;
    const guess = nearest(name, [...known, ...globalOptions]);
    if (guess) out.push(`--${name} is not an option of "${task.id.join(" ")}": did you mean --${guess}?`);
  }
  return out;
}
