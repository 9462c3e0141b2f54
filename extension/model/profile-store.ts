// The last two profile results per model (file + entry), kept next to the workspace's other state so a
// reloaded panel shows latency again and a new run is compared with the one before it. Results are
// written with `serializeResult` and read back with `parseResult` (a file from another ResGraph version
// is ignored with a log line, never trusted). Pure over an injected file store, so it is unit-tested.

import { createHash } from "node:crypto";
import type { ProfileResult } from "../../src/profile/result";
import { parseResult, serializeResult } from "../../src/profile/serialize";

/** Named text files in one folder (the extension's storage folder in VS Code, a Map in tests). */
export interface TextFiles {
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
}

interface Slot {
  latest: ProfileResult | null;
  previous: ProfileResult | null;
}

/** The file name stem of a model's results: a hash, since file paths and entries hold any character. */
export function profileFileStem(file: string, entry: string): string {
  return "profile-" + createHash("sha256").update(`${file}\u0000${entry}`).digest("hex").slice(0, 32);
}

export class ProfileStore {
  private readonly slots = new Map<string, Promise<Slot>>();

  constructor(
    private readonly files: TextFiles,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** The last result for this model, or null. */
  async latest(file: string, entry: string): Promise<ProfileResult | null> {
    return (await this.slot(file, entry)).latest;
  }

  /** The result before the last one, or null. */
  async previous(file: string, entry: string): Promise<ProfileResult | null> {
    return (await this.slot(file, entry)).previous;
  }

  /** Saves a new result (keyed by its own file and entry); returns the one it replaces, for comparison. */
  async save(result: ProfileResult): Promise<ProfileResult | null> {
    const stem = profileFileStem(result.file, result.entry);
    const before = await this.slot(result.file, result.entry);
    const next: Slot = { latest: result, previous: before.latest };
    this.slots.set(stem, Promise.resolve(next));
    if (before.latest) await this.files.write(`${stem}.previous.json`, serializeResult(before.latest));
    await this.files.write(`${stem}.json`, serializeResult(result));
    return before.latest;
  }

  private slot(file: string, entry: string): Promise<Slot> {
    const stem = profileFileStem(file, entry);
    let slot = this.slots.get(stem);
    if (!slot) {
      slot = Promise.all([this.load(`${stem}.json`, file, entry), this.load(`${stem}.previous.json`, file, entry)]).then(([latest, previous]) => ({ latest, previous }));
      this.slots.set(stem, slot);
    }
    return slot;
  }

  private async load(name: string, file: string, entry: string): Promise<ProfileResult | null> {
    let text: string | undefined;
    try {
      text = await this.files.read(name);
    } catch (e) {
      this.warn(`The saved profile ${name} could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    if (text === undefined) return null;
    const parsed = parseResult(text, `The saved profile ${name}`);
    if (!parsed.ok) {
      this.warn(parsed.message);
      return null;
    }
    // A hash collision or a hand-edited file: a result of another model is never shown on this one.
    if (parsed.result.file !== file || parsed.result.entry !== entry) {
      this.warn(`The saved profile ${name} is of ${parsed.result.entry} in ${parsed.result.file}, not ${entry} in ${file}; ignored.`);
      return null;
    }
    return parsed.result;
  }
}
