import type { ChildProcess } from 'node:child_process';

/** The workspace root (where dist/ lives). */
export declare const WORKSPACE_ROOT: string;

export interface StackOptions {
  /**
   * true (default): free loopback ports, a fresh data directory removed on stop, every address set explicitly
   * (tests, bench). false: as `npm start` runs it, settings from the environment and the apps' defaults.
   */
  readonly isolated?: boolean;
  /** Extra environment for the API, e.g. a short token TTL. */
  readonly apiEnv?: Readonly<Record<string, string>>;
  /** Extra environment for the voice sandbox, e.g. SANDBOX_FAULTS. */
  readonly sandboxEnv?: Readonly<Record<string, string>>;
  /** Print the processes' output prefixed with their name (npm start) instead of keeping its tail for errors. */
  readonly echoOutput?: boolean;
  /** Start both processes with a loopback inspector (the bench reads their heaps through it). */
  readonly inspect?: boolean;
  /** Aborting stops what was started and rejects (Ctrl-C while starting). */
  readonly signal?: AbortSignal;
  /** Where dist/ is; the workspace root by default. */
  readonly root?: string;
}

export interface SandboxResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** A stack process; inspectorUrl is set once it has printed it (inspect: true). */
export type StackProcess = ChildProcess & { inspectorUrl?: string };

/** The whole product as npm start runs it: the voice sandbox and the API serving the softphone. */
export interface RunningStack {
  readonly apiUrl: string;
  readonly sandboxUrl: string;
  readonly sandboxHost: string;
  /** JSON to the sandbox's admin and REST surface (self-signed TLS on loopback). */
  sandbox<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<SandboxResponse<T>>;
  /** The processes started (no sandbox when the environment runs against real Twilio). */
  readonly children: { readonly api: StackProcess; readonly sandbox?: StackProcess };
  /**
   * Starts the sandbox again after the caller killed it (crash-recovery runs): same port, data directory and
   * settings; resolves with the new process (also children.sandbox) once it is ready. Rejects if it still runs.
   */
  restartSandbox(): Promise<StackProcess>;
  /** Stops both processes and removes a temporary data directory; safe to call more than once. */
  stop(): Promise<void>;
}

export declare function startStack(options?: StackOptions): Promise<RunningStack>;

/** What a started process said last, for an error message. */
export declare function recentOutput(child: ChildProcess | undefined): string;
