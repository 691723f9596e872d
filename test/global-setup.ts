// Tests run against freshly generated code, however vitest was started.
import { ensureGenerated } from '../src/gen/ensure.js';

export default function setup(): void {
  if (!ensureGenerated()) throw new Error('spec errors: see above');
}
