/**
 * Every migration, in order, listed explicitly so the compiled app, the CLI and the tests run the
 * same list. `npm run migration:generate -- Name` writes a new file here; add its class below.
 */
import { Instance1764000000000 } from './1764000000000-Instance';

export const MIGRATIONS = [Instance1764000000000];
