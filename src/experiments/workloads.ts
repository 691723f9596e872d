// The workloads the guest kernel holds and the arguments each takes, read from
// their sources (guest/workloads/NAME.c): the option table a workload passes to
// parse_opts is the one statement of its arguments, their defaults and ranges.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GUEST_DIR = new URL('../../guest/', import.meta.url).pathname;

/** `choices`: names the workload also takes for the values 0, 1, … (membw's `--op copy` is `--op 2`); experiments pass the number. */
export interface WorkloadArg { name: string; default: number; min: number; max: number; help: string; choices?: string[] }
/** `args` undefined: the workload takes free words (hello echoes them), so any are accepted. */
export interface Workload { name: string; args?: WorkloadArg[] }

const OPT_TABLE = /struct opt \w+\[\] = \{([^;]*)\};/;
/** An entry `{ "name", default, min, max, "help" }`, or with names for its values `{ "op", 0, 0, 3, "help", "read,write,copy,zero" }`. */
const OPT = /\{\s*"(\w+)",\s*(-?\d+),\s*(-?\d+),\s*(-?\d+),\s*"([^"]*)"(?:,\s*"([^"]*)")?\s*\}/g;

let catalogue: Map<string, Workload> | undefined;

export function workloads(): Map<string, Workload> {
  if (!catalogue) {
    const dir = join(GUEST_DIR, 'workloads');
    catalogue = new Map(readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => {
      const name = f.slice(0, -2);
      const table = OPT_TABLE.exec(readFileSync(join(dir, f), 'utf8'))?.[1];
      const args = table === undefined ? undefined : [...table.matchAll(OPT)].map((m) => ({
        name: m[1], default: Number(m[2]), min: Number(m[3]), max: Number(m[4]), help: m[5], ...(m[6] ? { choices: m[6].split(',') } : {}),
      }));
      return [name, { name, args }];
    }));
  }
  return catalogue;
}

/** Why `value` is not a valid `--name value` for the workload, or undefined when it is. */
export function argProblem(w: Workload, name: string, value: unknown): string | undefined {
  if (!w.args) return undefined;
  const a = w.args.find((x) => x.name === name);
  if (!a) return `${w.name} takes no argument '${name}' (it takes ${w.args.map((x) => x.name).join(', ')})`;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < a.min || value > a.max) {
    const names = a.choices ? ` (${a.choices.map((c, i) => `${i} ${c}`).join(', ')})` : '';
    return `${w.name} --${name}: ${JSON.stringify(value)} is not an integer from ${a.min} to ${a.max}${names}`;
  }
  return undefined;
}

/** Whether the workload declares `--name` (a sweep of args.NAME or a seed applies only to those that do). */
export const takesArg = (w: Workload, name: string): boolean => w.args?.some((a) => a.name === name) ?? false;
