// Main process (CLI host). What a command may touch of the outside world, passed in so commands
// run the same in tests as in a terminal.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks for a secret without echo; null when no terminal is available or the user gives up. */
  promptSecret(prompt: string): Promise<string | null>;
  now(): Date;
}

/** Exit codes of `todoke` (README "CLI"). */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
