/** Every TypeORM entity, listed explicitly (no globbing), for the data source. */
import type { MixedList } from 'typeorm';
import { InstanceEntity } from './instance.entity';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: MixedList<Function> = [InstanceEntity];
