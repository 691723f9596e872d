// The architectural exception a piece of simulator code raises, for tests of traps.
import { ArchException } from '../../src/core/exception.js';

/** The exception `fn` throws (any other error is rethrown; none at all fails the test). */
export function thrown(fn: () => unknown): ArchException {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArchException) return e;
    throw e;
  }
  throw new Error('no exception');
}
