import { describe, expect, it, vi } from 'vitest';
import { ApiError, errorMessage } from '../../src/lib/errors';
import {
  multipartBody,
  precheckFile,
  uploadFraction,
  uploadMultipart,
  UploadQueue,
  type FileLike,
  type UploadHandlers,
  type XhrLike,
} from '../../src/lib/upload';

/** A controllable upload: the test decides progress, success, failure. */
interface Pending {
  file: FileLike;
  handlers: UploadHandlers;
  signal: AbortSignal;
  resolve(value: string): void;
  reject(error: unknown): void;
}

function fakeUploader() {
  const pending: Pending[] = [];
  const uploader = vi.fn(
    (file: FileLike, _options: { section: string }, handlers: UploadHandlers, signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        pending.push({ file, handlers, signal, resolve, reject });
      }),
  );
  return { uploader, pending };
}

const file = (name: string, size = 1000, type = 'image/jpeg'): FileLike => ({ name, size, type });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('UploadQueue', () => {
  it('runs at most `concurrency` uploads at once, the rest wait in order', async () => {
    const { uploader, pending } = fakeUploader();
    const queue = new UploadQueue(uploader, { concurrency: 2 });
    queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg'), file('d.jpg')], { section: 'GALLERY' });
    expect(queue.items.map((i) => i.status)).toEqual(['uploading', 'uploading', 'queued', 'queued']);
    expect(uploader).toHaveBeenCalledTimes(2);
    pending[0]?.resolve('A');
    await tick();
    expect(queue.items.map((i) => i.status)).toEqual(['done', 'uploading', 'uploading', 'queued']);
    expect(pending.map((p) => p.file.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(queue.active).toBe(2);
  });

  it('reports progress per file, then processing once every byte is sent', async () => {
    const { uploader, pending } = fakeUploader();
    const queue = new UploadQueue(uploader, { concurrency: 2 });
    const snapshots: string[] = [];
    queue.subscribe((items) => snapshots.push(items.map((i) => `${i.name}:${i.status}:${Math.round(uploadFraction(i) * 100)}`).join(',')));
    queue.add([file('a.jpg', 2000), file('b.jpg', 4000)], { section: 'GALLERY' });
    pending[0]?.handlers.onProgress({ loaded: 500, total: 2000 });
    pending[1]?.handlers.onProgress({ loaded: 3000, total: 4000 });
    expect(uploadFraction(queue.items[0]!)).toBe(0.25);
    expect(uploadFraction(queue.items[1]!)).toBe(0.75);
    pending[0]?.handlers.onSent();
    expect(queue.items[0]?.status).toBe('processing');
    expect(uploadFraction(queue.items[0]!)).toBe(1);
    pending[0]?.resolve('A');
    await tick();
    expect(queue.items[0]).toMatchObject({ status: 'done', result: 'A' });
    expect(snapshots).toContain('a.jpg:uploading:25,b.jpg:uploading:0');
    expect(snapshots).toContain('a.jpg:uploading:25,b.jpg:uploading:75');
  });

  it('cancels one file: a running upload is aborted, a queued one never starts', async () => {
    const { uploader, pending } = fakeUploader();
    const queue = new UploadQueue(uploader, { concurrency: 1 });
    const [a, b, c] = queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg')], { section: 'OTHER' });
    queue.cancel(b!.id);
    expect(queue.items[1]?.status).toBe('cancelled');
    queue.cancel(a!.id);
    expect(pending[0]?.signal.aborted).toBe(true);
    await tick();
    expect(queue.items.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'uploading']);
    expect(pending.map((p) => p.file.name)).toEqual(['a.jpg', 'c.jpg']);
    pending[1]?.resolve('C');
    await tick();
    expect(queue.items.find((i) => i.id === c!.id)?.status).toBe('done');
  });

  it('keeps each file’s error to itself', async () => {
    const { uploader, pending } = fakeUploader();
    const done = vi.fn();
    const queue = new UploadQueue(uploader, { concurrency: 2, onDone: done });
    queue.add([file('photo.jpg'), file('notes.jpg')], { section: 'GALLERY' });
    const refused = new ApiError('BAD_USER_INPUT', 'This file type is not accepted (JPEG, PNG or WebP images and MP4 or WebM videos are accepted): it looks like a text file.');
    pending[1]?.reject(refused);
    pending[0]?.resolve('P');
    await tick();
    expect(queue.items.map((i) => i.status)).toEqual(['done', 'error']);
    expect(queue.items[1]?.error).toBe(refused);
    expect(done).toHaveBeenCalledTimes(1);
    expect(errorMessage(queue.items[1]?.error, 'tr')).toMatch(/metin dosyası/);
  });

  it('refuses files known to be too large without sending them', () => {
    const { uploader } = fakeUploader();
    const queue = new UploadQueue(uploader, { precheck: precheckFile });
    queue.add([file('huge.jpg', 16 * 1024 * 1024), file('ok.jpg', 1000)], { section: 'GALLERY' });
    expect(queue.items.map((i) => i.status)).toEqual(['error', 'uploading']);
    expect(uploader).toHaveBeenCalledTimes(1);
    expect(errorMessage(queue.items[0]?.error, 'tr')).toBe('Resim çok büyük: en fazla 15 MiB olabilir.');
  });

  it('forgets finished files on request, never running ones', async () => {
    const { uploader, pending } = fakeUploader();
    const queue = new UploadQueue(uploader, { concurrency: 2 });
    const [a, b] = queue.add([file('a.jpg'), file('b.jpg')], { section: 'GALLERY' });
    pending[0]?.resolve('A');
    await tick();
    queue.dismiss(b!.id);
    expect(queue.items).toHaveLength(2);
    queue.dismiss(a!.id);
    expect(queue.items.map((i) => i.name)).toEqual(['b.jpg']);
    queue.clearFinished();
    expect(queue.items.map((i) => i.name)).toEqual(['b.jpg']);
  });
});

describe('precheckFile', () => {
  it('knows the server’s limits by the declared type', () => {
    expect(precheckFile(file('a.jpg', 15 * 1024 * 1024))).toBeNull();
    expect(precheckFile(file('a.jpg', 15 * 1024 * 1024 + 1))?.message).toMatch(/^The image is 15\.0 MiB; at most 15 MiB/);
    expect(precheckFile(file('v.mp4', 90e6, 'video/mp4'))).toBeNull();
    expect(precheckFile(file('v.mp4', 101 * 1024 * 1024, 'video/mp4'))?.message).toMatch(/^The video/);
    expect(precheckFile(file('x.bin', 20e6, ''))).toBeNull(); // unknown type: the server decides
    expect(precheckFile(file('e.jpg', 0))?.message).toBe('The file is empty.');
  });
});

class FakeXhr implements XhrLike {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  responseType = '';
  withCredentials = false;
  aborted = false;
  contentType = 'application/json';
  onload: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onabort: ((e: unknown) => void) | null = null;
  ontimeout: ((e: unknown) => void) | null = null;
  upload = {
    onprogress: null as ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null,
    onload: null as ((e: unknown) => void) | null,
  };
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.({});
  }
  getResponseHeader(name: string) {
    return name.toLowerCase() === 'content-type' ? this.contentType : null;
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.({});
  }
}

const QUERY = 'mutation UploadMedia($file: Upload!, $alt: String, $section: MediaSection) { uploadMedia(file: $file, alt: $alt, section: $section) { id } }';

describe('uploadMultipart', () => {
  const blob = () => new File([new Uint8Array([0xff, 0xd8, 0xff])], 'photo.jpg', { type: 'image/jpeg' });

  it('follows the GraphQL multipart request spec and carries the CSRF header', async () => {
    const progress = vi.fn();
    const promise = uploadMultipart<{ uploadMedia: { id: string } }>({
      query: QUERY,
      variables: { alt: 'Dükkân', section: 'GALLERY' },
      file: blob(),
      onProgress: progress,
      createXhr: () => new FakeXhr(),
    });
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/graphql');
    expect(xhr.headers['x-vitrin-csrf']).toBe('1');
    const form = xhr.body as FormData;
    expect([...form.keys()]).toEqual(['operations', 'map', '0']);
    expect(JSON.parse(form.get('operations') as string)).toEqual({
      query: QUERY,
      variables: { alt: 'Dükkân', section: 'GALLERY', file: null },
      operationName: 'UploadMedia',
    });
    expect(JSON.parse(form.get('map') as string)).toEqual({ '0': ['variables.file'] });
    expect((form.get('0') as File).name).toBe('photo.jpg');
    xhr.upload.onprogress?.({ loaded: 1, total: 3, lengthComputable: true });
    expect(progress).toHaveBeenCalledWith({ loaded: 1, total: 3 });
    xhr.respond(200, { data: { uploadMedia: { id: '7' } } });
    await expect(promise).resolves.toEqual({ uploadMedia: { id: '7' } });
  });

  it('turns a 413 with a JSON body into the server’s BAD_USER_INPUT error', async () => {
    const promise = uploadMultipart({ query: QUERY, variables: {}, file: blob(), createXhr: () => new FakeXhr() });
    FakeXhr.last!.respond(413, { errors: [{ message: 'The image is larger than the 15 MiB allowed.', extensions: { code: 'BAD_USER_INPUT' } }] });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 413 });
    expect(errorMessage(error, 'tr')).toBe('Resim çok büyük: en fazla 15 MiB olabilir.');
    expect(errorMessage(error, 'en')).toBe('The image is too large: at most 15 MiB.');
  });

  it('rejects with an AbortError when cancelled (xhr.abort)', async () => {
    const controller = new AbortController();
    const promise = uploadMultipart({ query: QUERY, variables: {}, file: blob(), signal: controller.signal, createXhr: () => new FakeXhr() });
    controller.abort();
    expect(FakeXhr.last!.aborted).toBe(true);
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports a network failure and an ended session', async () => {
    const failed = uploadMultipart({ query: QUERY, variables: {}, file: blob(), createXhr: () => new FakeXhr() });
    FakeXhr.last!.onerror?.({});
    await expect(failed).rejects.toMatchObject({ code: 'NETWORK' });
    const ended = vi.fn();
    const unauthenticated = uploadMultipart({ query: QUERY, variables: {}, file: blob(), onSessionEnded: ended, createXhr: () => new FakeXhr() });
    FakeXhr.last!.respond(200, { errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] });
    await expect(unauthenticated).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('builds the same body on its own', () => {
    const form = multipartBody('mutation { x }', { a: 1 }, blob());
    expect(JSON.parse(form.get('operations') as string)).toEqual({ query: 'mutation { x }', variables: { a: 1, file: null } });
  });
});
