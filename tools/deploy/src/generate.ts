/** Writes the generated deploy/ files (generated-files.ts): `npx tsx tools/deploy/src/generate.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_DIR, GENERATED } from './generated-files';

for (const file of GENERATED) {
  writeFileSync(join(DEPLOY_DIR, file.path), file.render());
  process.stdout.write(`wrote deploy/${file.path}\n`);
}
