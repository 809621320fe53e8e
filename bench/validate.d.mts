// Types of validate.mjs, for the TypeScript tests that check it (test/bench/).

/** What makes a run a harness failure (a scenario that did not run or produced no numbers); [] when none. */
export function validate(run: unknown, kinds: string[], clustered: boolean): string[];
