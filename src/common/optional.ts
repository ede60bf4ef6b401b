import { ValidateIf } from 'class-validator';

/**
 * The property may be left out, but not sent as null. class-validator's IsOptional lets a null
 * past every other check of the property, and the null then reaches the database or the engine
 * (a 500 rather than a 400 naming the field). A property where null means something (a schedule
 * or a budget cleared) says so with IsOptional and its own ValidateIf instead.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
