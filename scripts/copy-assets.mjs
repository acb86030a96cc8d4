// tsc compiles the .ts assets; every other private asset (the knowledge base) is copied beside them.
import { cpSync } from 'node:fs';

cpSync('assets', 'dist/assets', {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
