/**
 * A cold Function container's first text: bench/cold-start-process.ts in fresh `node` processes, one after
 * another, on the built functions (`npm run build`) against the emulator (no added latency: the Twilio calls'
 * time is measured apart and not counted), the median of each figure.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { startEmulator } from '../emulator';
import { functionsConfigFor } from '../scripts/local-stack';
import type { ColdStartInput, ColdStartRun } from './cold-start-process';

export interface ColdStartMeasurement {
  runs: number;
  text: string;
  runtimeMs: number;
  requireMs: number;
  handlerMs: number;
  /** Require plus the handler's own time: what this project's code costs a cold container's first text. */
  totalMs: number;
  cpuMs: number;
  twilioMs: number;
  twilioCalls: number;
  rssMb: number;
  /** The project's own dependencies the process loaded, and those it did not. */
  loaded: string[];
  notLoaded: string[];
}

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
/** A question of the sample knowledge base, long enough for the language detector to read it. */
const TEXT = 'What are your opening hours?';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function measureColdStart(runs = 5): Promise<ColdStartMeasurement> {
  const folder = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const emulator = await startEmulator();
  try {
    const script = join(folder, 'cold-start-process.js');
    const source = readFileSync(join(__dirname, 'cold-start-process.ts'), 'utf8');
    writeFileSync(script, transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' }).code);
    const env = functionsConfigFor(emulator, randomBytes(24).toString('hex'));
    const results: ColdStartRun[] = [];
    for (let run = 0; run < runs; run++) {
      // A new contact each time, as a quiet spell's first text often is: its record is created.
      const input: ColdStartInput = {
        distDir: DIST,
        env,
        from: `+1206555${String(run).padStart(4, '0')}`,
        to: emulator.phoneNumber,
        text: TEXT,
      };
      const { stdout } = await promisify(execFile)(process.execPath, [script], {
        env: { ...process.env, COLD_START: JSON.stringify(input) },
      });
      results.push(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ColdStartRun);
    }
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const figure = (pick: (run: ColdStartRun) => number) => median(results.map(pick));
    return {
      runs,
      text: TEXT,
      runtimeMs: figure((run) => run.runtimeMs),
      requireMs: figure((run) => run.requireMs),
      handlerMs: figure((run) => run.handlerMs),
      totalMs: figure((run) => run.requireMs + run.handlerMs),
      cpuMs: figure((run) => run.cpuMs),
      twilioMs: figure((run) => run.twilioMs),
      twilioCalls: figure((run) => run.twilioCalls),
      rssMb: figure((run) => run.rssMb),
      loaded: Object.keys(dependencies).filter((name) => results[0].packages.includes(name)),
      notLoaded: Object.keys(dependencies).filter((name) => !results[0].packages.includes(name)),
    };
  } finally {
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
