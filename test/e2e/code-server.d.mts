// Types of code-server.mjs (plain JavaScript so scripts/start.mjs can import it without a loader).
import type { ChildProcess } from "node:child_process";

export declare const E2E_DIR: string;
export declare const CODE_SERVER_ENTRY: string;
export declare const TEST_SETTINGS: Record<string, unknown>;
export declare function codeServerMissing(): string | false;
export declare function freePort(): Promise<number>;
export interface LaunchOptions {
  vsix?: string;
  folder: string;
  port?: number;
  settings?: Record<string, unknown>;
  log?: (message: string) => void;
  keepDirs?: boolean;
}
export interface CodeServer {
  url: string;
  port: number;
  stop(): void;
  output(): string;
  dirs: { base: string; userData: string; extensions: string };
  child: ChildProcess;
}
export declare function launchCodeServer(options: LaunchOptions): Promise<CodeServer>;
