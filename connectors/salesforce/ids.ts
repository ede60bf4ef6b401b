/**
 * Salesforce record ids: 15 characters, case-sensitive, or 18 with a 3-character suffix that encodes
 * the case of the first 15 (Salesforce Help, "What is a Salesforce ID"; the suffix: for each block of
 * 5 characters, a 5-bit number whose bit i says whether character i is an uppercase letter, read
 * from "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"). The API answers 18-character ids and takes either form,
 * so a key kept in the 15-character form must match its 18-character form.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;

/** The 3-character suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charAt(block * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** Whether `value` has the shape of a record id (15 or 18 letters and digits). */
export function isSalesforceId(value: string): boolean {
  return ID_15.test(value) || ID_18.test(value);
}

/** The 18-character form of an id; any other string as it is. */
export function toId18(value: string): string {
  return ID_15.test(value) ? `${value}${idSuffix(value)}` : value;
}
