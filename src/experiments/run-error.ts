/** A run that cannot go on as asked (a bad run directory, a refused --resume, …): the CLI's status 2. Light, so the CLI need not load the runner to know it. */
export class RunError extends Error {}
