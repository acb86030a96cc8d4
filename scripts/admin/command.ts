/**
 * How setup, doctor, deploy and insights end: their exit code, usage errors as code 2 (as JSON with --json), anything else
 * as 1.
 */
import { UsageError } from './env';
import { formatUsageError } from './output';

export function runCommand(
  name: 'setup' | 'doctor' | 'deploy' | 'insights',
  main: (argv: string[]) => Promise<number>,
): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      const json = process.argv.includes('--json');
      if (error instanceof UsageError) {
        (json ? console.log : console.error)(formatUsageError(name, error.problems, json));
        process.exitCode = 2;
        return;
      }
      console.error(error.stack ?? error.message);
      process.exitCode = 1;
    },
  );
}
