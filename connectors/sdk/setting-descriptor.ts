/** Settings schema entry, for the API's connector catalogue. */
export interface SettingDescriptor {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'url';
  required: boolean;
  description?: string;
  default?: string | number | boolean;
  /** For numbers: the smallest value allowed. */
  minimum?: number;
}
