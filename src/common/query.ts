/** Query-string helpers shared by list filters. */
import { Transform } from 'class-transformer';

/** `?dead=true` / `?dead=false` as a boolean; anything else stays a string and fails @IsBoolean. */
export const BooleanQuery = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
