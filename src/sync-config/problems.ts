/** A problem of a sync file, where it is: what every step of loading and applying a folder reports. */
export interface FileProblem {
  /** The file, relative to the folder. */
  file: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** The path inside the definition, e.g. `mappings[2].policy`. */
  path: string;
  problem: string;
}
