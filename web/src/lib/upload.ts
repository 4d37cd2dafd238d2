/**
 * Media uploads: each file goes in its own multipart request (the GraphQL multipart
 * request spec) over XMLHttpRequest, whose upload progress events drive a progress bar
 * and whose `abort()` cancels it. The browser authenticates with the session cookie, so
 * the server requires the `x-vitrin-csrf` header (a header only same-origin script can
 * set). A queue runs a few uploads at a time and keeps each file's state.
 */
import { ApiError } from './errors';
import { GRAPHQL_ENDPOINT, graphqlData, operationName } from './graphql';

/** The server's limits (checked again there, by content). */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 100 * 1024 * 1024;
export const ACCEPT = 'image/jpeg,image/png,image/webp,video/mp4,video/webm,.jpg,.jpeg,.png,.webp,.mp4,.webm';

export interface FileLike {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

export interface Progress {
  loaded: number;
  total: number;
}

export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: unknown): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly responseText: string;
  withCredentials: boolean;
  onload: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onabort: ((event: unknown) => void) | null;
  ontimeout: ((event: unknown) => void) | null;
  readonly upload: {
    onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
    onload: ((event: unknown) => void) | null;
  };
}

export interface MultipartOptions {
  /** The mutation, with a `$file: Upload!` variable. */
  query: string;
  /** The other variables (`file` is set to null and mapped to the file part). */
  variables: Record<string, unknown>;
  file: Blob & FileLike;
  endpoint?: string;
  onProgress?(progress: Progress): void;
  /** Every byte is sent; the server is working on the file. */
  onSent?(): void;
  signal?: AbortSignal;
  createXhr?: () => XhrLike;
  onSessionEnded?(error: ApiError): void;
}

/** The multipart body: `operations`, then `map`, then the file as part "0". */
export function multipartBody(query: string, variables: Record<string, unknown>, file: Blob & FileLike): FormData {
  const form = new FormData();
  const name = operationName(query);
  form.append('operations', JSON.stringify({ query, variables: { ...variables, file: null }, ...(name ? { operationName: name } : {}) }));
  form.append('map', JSON.stringify({ '0': ['variables.file'] }));
  form.append('0', file, file.name);
  return form;
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

/** Sends one file; resolves with the operation's `data`, rejects with an ApiError (or AbortError). */
export function uploadMultipart<TData>(options: MultipartOptions): Promise<TData> {
  return new Promise<TData>((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const xhr = options.createXhr ? options.createXhr() : (new XMLHttpRequest() as unknown as XhrLike);
    const cleanup = () => options.signal?.removeEventListener('abort', onAbort);
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort);

    xhr.open('POST', options.endpoint ?? GRAPHQL_ENDPOINT);
    xhr.withCredentials = false; // same-origin requests carry the cookie anyway
    xhr.setRequestHeader('x-vitrin-csrf', '1');
    xhr.setRequestHeader('Accept', 'application/graphql-response+json, application/json;q=0.9');
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable && event.total > 0 ? event.total : options.file.size;
      options.onProgress?.({ loaded: Math.min(event.loaded, total), total });
    };
    xhr.upload.onload = () => options.onSent?.();
    xhr.onabort = () => {
      cleanup();
      reject(abortError());
    };
    xhr.onerror = () => {
      cleanup();
      reject(new ApiError('NETWORK', 'The upload did not reach the server.'));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      cleanup();
      const status = xhr.status;
      let body: unknown = null;
      if ((xhr.getResponseHeader('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
      }
      try {
        resolve(graphqlData<TData>(body, status, options.onSessionEnded));
      } catch (error) {
        reject(error);
      }
    };
    xhr.send(multipartBody(options.query, options.variables, options.file));
  });
}

/** Mebibytes as the server words them: whole numbers bare, others with one decimal. */
function mebibytes(bytes: number): string {
  const mib = bytes / 1048576;
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(1);
}

/**
 * A refusal the browser can tell before sending: a file larger than any accepted one
 * (by the type the browser reports). Worded like the server's own message, so that it
 * is translated the same way.
 */
export function precheckFile(file: FileLike): ApiError | null {
  const isImage = file.type.startsWith('image/');
  const isVideo = file.type.startsWith('video/');
  const what = isVideo ? 'video' : isImage ? 'image' : 'file';
  const max = isImage ? MAX_IMAGE_BYTES : MAX_VIDEO_BYTES;
  if (file.size > max) {
    return new ApiError('BAD_USER_INPUT', `The ${what} is ${mebibytes(file.size)} MiB; at most ${mebibytes(max)} MiB is accepted.`);
  }
  if (file.size === 0) return new ApiError('BAD_USER_INPUT', 'The file is empty.');
  return null;
}

export type UploadStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'error' | 'cancelled';

export interface UploadItem<TResult, TOptions> {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly options: TOptions;
  readonly status: UploadStatus;
  /** Bytes sent so far, of `total`. */
  readonly loaded: number;
  readonly total: number;
  readonly result: TResult | null;
  readonly error: unknown;
}

/** 0–1: the share of the file sent. */
export function uploadFraction(item: { loaded: number; total: number; status: UploadStatus }): number {
  if (item.status === 'processing' || item.status === 'done') return 1;
  if (item.total <= 0) return 0;
  return Math.min(1, Math.max(0, item.loaded / item.total));
}

export interface UploadHandlers {
  onProgress(progress: Progress): void;
  onSent(): void;
}

/** Sends one file; must reject with an AbortError when `signal` aborts. */
export type Uploader<TFile extends FileLike, TResult, TOptions> = (
  file: TFile,
  options: TOptions,
  handlers: UploadHandlers,
  signal: AbortSignal,
) => Promise<TResult>;

export interface QueueOptions<TFile extends FileLike, TResult> {
  /** How many files upload at once. */
  concurrency?: number;
  /** A refusal known before sending (e.g. too large); null to send. */
  precheck?(file: TFile): unknown;
  onDone?(result: TResult, item: UploadItem<TResult, unknown>): void;
}

function isAbort(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === 'AbortError';
}

/**
 * Uploads files, `concurrency` at a time, in the order added. Each file has its own
 * state; a failure or a cancellation affects that file only.
 */
export class UploadQueue<TFile extends FileLike, TResult, TOptions> {
  private list: Array<UploadItem<TResult, TOptions>> = [];
  private readonly files = new Map<number, TFile>();
  private readonly controllers = new Map<number, AbortController>();
  private readonly listeners = new Set<(items: ReadonlyArray<UploadItem<TResult, TOptions>>) => void>();
  private nextId = 1;
  private readonly concurrency: number;

  constructor(
    private readonly uploader: Uploader<TFile, TResult, TOptions>,
    private readonly options: QueueOptions<TFile, TResult> = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
  }

  get items(): ReadonlyArray<UploadItem<TResult, TOptions>> {
    return this.list;
  }

  /** How many are sending or being processed now. */
  get active(): number {
    return this.list.filter((i) => i.status === 'uploading' || i.status === 'processing').length;
  }

  subscribe(listener: (items: ReadonlyArray<UploadItem<TResult, TOptions>>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(files: Iterable<TFile>, options: TOptions): Array<UploadItem<TResult, TOptions>> {
    const added: Array<UploadItem<TResult, TOptions>> = [];
    for (const file of files) {
      const id = this.nextId++;
      const refused = this.options.precheck?.(file) ?? null;
      const item: UploadItem<TResult, TOptions> = {
        id,
        name: file.name,
        size: file.size,
        type: file.type,
        options,
        status: refused ? 'error' : 'queued',
        loaded: 0,
        total: file.size,
        result: null,
        error: refused,
      };
      if (!refused) this.files.set(id, file);
      added.push(item);
    }
    this.list = [...this.list, ...added];
    this.emit();
    this.pump();
    return added;
  }

  /** Stops a file: a queued one never starts, a running one is aborted. */
  cancel(id: number): void {
    const item = this.find(id);
    if (!item) return;
    if (item.status === 'queued') {
      this.files.delete(id);
      this.update(id, { status: 'cancelled' });
      return;
    }
    if (item.status === 'uploading' || item.status === 'processing') this.controllers.get(id)?.abort();
  }

  /** Forgets a finished file (done, failed or cancelled). */
  dismiss(id: number): void {
    const item = this.find(id);
    if (!item || item.status === 'queued' || item.status === 'uploading' || item.status === 'processing') return;
    this.list = this.list.filter((i) => i.id !== id);
    this.emit();
  }

  clearFinished(): void {
    this.list = this.list.filter((i) => i.status === 'queued' || i.status === 'uploading' || i.status === 'processing');
    this.emit();
  }

  /** Aborts everything (e.g. when the page goes away). */
  cancelAll(): void {
    for (const item of this.list) this.cancel(item.id);
  }

  private find(id: number): UploadItem<TResult, TOptions> | undefined {
    return this.list.find((i) => i.id === id);
  }

  private update(id: number, patch: Partial<UploadItem<TResult, TOptions>>): void {
    this.list = this.list.map((i) => (i.id === id ? { ...i, ...patch } : i));
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.list);
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const next = this.list.find((i) => i.status === 'queued');
      if (!next) return;
      void this.start(next);
    }
  }

  private async start(item: UploadItem<TResult, TOptions>): Promise<void> {
    const file = this.files.get(item.id);
    if (!file) return;
    const controller = new AbortController();
    this.controllers.set(item.id, controller);
    this.update(item.id, { status: 'uploading', loaded: 0 });
    try {
      const result = await this.uploader(
        file,
        item.options,
        {
          onProgress: ({ loaded, total }) => {
            const current = this.find(item.id);
            if (current?.status === 'uploading') this.update(item.id, { loaded, total: total > 0 ? total : current.total });
          },
          onSent: () => {
            const current = this.find(item.id);
            if (current?.status === 'uploading') this.update(item.id, { status: 'processing', loaded: current.total });
          },
        },
        controller.signal,
      );
      this.update(item.id, { status: 'done', result, loaded: item.total });
      const done = this.find(item.id);
      if (done) this.options.onDone?.(result, done);
    } catch (error) {
      this.update(item.id, isAbort(error) || controller.signal.aborted ? { status: 'cancelled' } : { status: 'error', error });
    } finally {
      this.controllers.delete(item.id);
      this.files.delete(item.id);
      this.pump();
    }
  }
}
