/** A field's value as text: empty shows as "empty", lists joined, everything else as written. */
import type { ReactNode } from 'react';
import type { FieldValue } from '../types';

export function valueText(value: FieldValue | undefined): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}

export function Value(props: { value: FieldValue | undefined }): ReactNode {
  const text = valueText(props.value);
  if (props.value === null || props.value === undefined || props.value === '')
    return <span className="muted value-empty">empty</span>;
  return <span className="value">{text}</span>;
}
